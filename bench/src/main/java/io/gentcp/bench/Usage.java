package io.gentcp.bench;

/**
 * The usage text of the gentcp tool.
 */
final class Usage
{
    static final String TEXT = String.join("\n",
        "usage: java -jar gentcp.jar <command> [options]",
        "",
        "commands:",
        "  echo --port P [--packet T] [--packet-size N] [--workers N] [--active A]",
        "      acceptor-pool echo server (passive mode, N threads accepting, default 4);",
        "      prints 'listening on PORT' first and runs until killed. Port 0 picks a free port.",
        "  ping --host H --port P [--packet T] [--size B] [--count N] [--warmup N] [--idle I] [--active A]",
        "      round trips against any echo server; prints p50, p90, p99, p99.9 and max in",
        "      microseconds, then round trips per second.",
        "  pingpong [--packet T] [--size B] [--count N] [--warmup N] [--idle I] [--cpus S,C]",
        "      the same ping-pong over loopback done by the C reference, gentcp (passive, then",
        "      {active, once} through mailboxes) and java.nio, in that order, printed as one",
        "      table with each row's p50 over the C p50.",
        "      --cpus pins the echo thread to CPU S and the client to CPU C in all three runs",
        "      (0,0: both ends share a core; 0,1: across cores). Default: not pinned.",
        "  sink --port P [--packet T]",
        "      receives on every connection until the peer closes (one thread each, passive",
        "      recv into a reused direct buffer); prints 'listening on PORT' first, then per",
        "      connection 'bytes=N packets=N seconds=S MiB/s=X msg/s=N' (body bytes; with",
        "      packet 0 each recv counts as a packet). Runs until killed. Default T: 0.",
        "  blast --host H --port P [--packet T] [--size B] [--bytes N]",
        "      sends N bytes (default 1073741824) in sends of B (default 65536; the last one",
        "      shorter), shuts down writing, waits for the peer to close, then prints the same",
        "      line as sink (packets = sends). T: 0, 1, 2, 4 or raw; default 0.",
        "  throughput [--bytes N] [--messages M] [--runs R] [--cpus S,C]",
        "      one-way transfers over loopback, each with one end the C reference: C -> C,",
        "      gentcp -> C, C -> gentcp, java.nio -> C, C -> java.nio; first N raw bytes in",
        "      65536-byte sends (default 2147483648), then M 1024-byte {packet, 4} messages, one",
        "      send each (default 1048576). Prints MiB/s, msg/s and each row over the C -> C row,",
        "      as the receiver counted them after a warm-up transfer of an eighth of the size.",
        "      --runs repeats each table R times, rows interleaved, and prints each row's median",
        "      (default 1).",
        "      --cpus runs the receiver on CPU S and the sender on CPU C. Default: not pinned.",
        "  decode",
        "      erlang:decode_packet/3 as a filter: reads lines 'TYPE HEX [packet_size=N]",
        "      [line_length=N] [line_delimiter=N]' and prints each result as io:format(\"~w~n\")",
        "      would; a line it cannot read prints 'error: ...'.",
        "  jmh [JMH arguments]",
        "      the JMH benchmarks, e.g. jmh -f 1 -prof gc PingPongBenchmark",
        "      (also SendThroughputBenchmark and MailboxFanInBenchmark)",
        "  --help",
        "      this message",
        "",
        "  T  packet type: 0, 1, 2, 4 or raw (= 0); echo also takes line, asn1, sunrm, cdr, fcgi",
        "     and tpkt. Default: 0 for echo, 4 for ping and pingpong.",
        "  B  bytes per message body, default 64: 1.. with packet 0, ..255 with 1, ..65535 with 2.",
        "  N  --count: measured round trips (default 100000); --warmup: round trips before",
        "     measuring (default 10000).",
        "  A  active mode: false (default: passive recv), true, once or N; the messages go",
        "     through the thread's mailbox.",
        "  I  idle strategy of a waiting receive: block (default), spin:US (poll US microseconds,",
        "     then block) or busy. java.nio runs block and busy; it runs spin:US as block.",
        "");

    private Usage()
    {
    }
}
