package io.gentcp.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The help of the gentcp tool: {@link #top()}, the commands with one line each, and
 * {@link #of(String)}, one command's flags (printed by {@code gentcp COMMAND --help}).
 */
final class Usage
{
    /** How the tool is started, the start of every usage line. */
    static final String PROGRAM = "java -jar gentcp.jar";

    /** The letters the command sections use, explained after those that use them. */
    private static final List<String> LEGEND = List.of(
        "  T  packet type: 0, 1, 2, 4 or raw (= 0); echo also takes line, asn1, sunrm, cdr, fcgi",
        "     and tpkt. Default: 0 for echo, 4 for ping and pingpong.",
        "  B  bytes per message body, default 64: 1.. with packet 0, ..255 with 1, ..65535 with 2.",
        "  N  --count: measured round trips (default 100000); --warmup: round trips before",
        "     measuring (default 10000).",
        "  A  active mode: false (default: passive recv), true, once or N; the messages go",
        "     through the thread's mailbox.",
        "  I  idle strategy of a waiting receive: block (default), spin:US (poll US microseconds,",
        "     then block) or busy. java.nio runs block and busy; it runs spin:US as block.");

    private static final Map<String, Section> SECTIONS = new LinkedHashMap<>();

    static
    {
        section("echo", "acceptor-pool echo server; prints 'listening on PORT' first", true,
            "  echo --port P [--packet T] [--packet-size N] [--workers N] [--active A]",
            "      acceptor-pool echo server (passive mode, N threads accepting, default 4);",
            "      prints 'listening on PORT' first and runs until killed. Port 0 picks a free port.");
        section("ping", "round trips against any echo server: latency percentiles and round trips/s", true,
            "  ping --host H --port P [--packet T] [--size B] [--count N] [--warmup N] [--idle I] [--active A]",
            "       [--json] [--hgrm FILE] [--timestamps]",
            "      round trips against any echo server; prints p50, p90, p99, p99.9 and max in",
            "      microseconds, then round trips per second.",
            "      --json prints one object instead: {\"type\":\"ping\",\"p50_us\":X,\"p90_us\":X,",
            "      \"p99_us\":X,\"p99.9_us\":X,\"p99.99_us\":X,\"max_us\":X,\"count\":N,\"round_trips_per_s\":N}.",
            "      --hgrm FILE writes HdrHistogram's percentile distribution of the round trips, in",
            "      microseconds, to FILE (what HdrHistogram's plotter reads).",
            "      --timestamps (Linux; passive client only) turns on the kernel's timestamps and",
            "      splits each round trip on the client's side, printing after the lines above:",
            "      'timestamps: N of M round trips stamped ...', then p50 and p99 of four parts:",
            "      send (the user's send to the request leaving the stack), ack (to the peer's",
            "      acknowledgement), reply (to the reply in the client's kernel: the wire both ways",
            "      and the peer, which one side cannot tell apart) and receive (from there to the",
            "      user's receive returning). With --json: \"stamped\":N and \"send_p50_us\",",
            "      \"send_p99_us\" ... for each part.");
        section("pingpong", "the same ping-pong by the C reference, gentcp and java.nio, side by side", true,
            "  pingpong [--packet T] [--size B] [--count N] [--warmup N] [--idle I] [--cpus S,C]",
            "           [--threads platform|virtual|both] [--active-floor] [--runs R] [--json] [--hgrm FILE]",
            "      the same ping-pong over loopback done by the C reference, gentcp (passive, then",
            "      {active, once} through mailboxes) and java.nio, in that order, printed as one",
            "      table with each row's p50 over the C p50.",
            "      --cpus pins the echo thread to CPU S and the client to CPU C in all three runs",
            "      (0,0: both ends share a core; 0,1: across cores). Default: not pinned.",
            "      --threads platform|virtual|both: the rows above on platform threads (the default),",
            "      or 'gentcp (virtual)' and 'java.net (virtual)' (java.net.Socket), both ends of each",
            "      on virtual threads (Java 21+; not pinned, so not with --cpus alone), or all of them.",
            "      --active-floor adds the floor of {active, once}: 'C epoll' (both ends wait in",
            "      epoll_wait, then recv), 'C epoll vs C echo' and 'gentcp once vs C echo'",
            "      (against the C reference's echo), then 'active floor: gentcp {active,once} / C epoll",
            "      p50 = X both ends, Y client against the C echo'.",
            "      --runs R runs the whole table R times (default 1), then prints 'median of R runs:'",
            "      and the table of each row's medians (and the active floor line of those).",
            "      --json prints each row as one object, {\"type\":\"row\",\"run\":R,\"impl\":NAME, the",
            "      figures as ping --json has them, \"vs_c_p50\":X} ({\"type\":\"median\",\"runs\":R,...} for",
            "      the medians; p99.99_us and count are null where there is no histogram: the C rows",
            "      and the medians), the active floor line as {\"type\":\"active_floor\",...}",
            "      ({\"type\":\"median_active_floor\",...} for the medians); no headers.",
            "      --hgrm FILE writes each row sampled in this JVM (not the C rows) to FILE-IMPL.hgrm",
            "      (a trailing .hgrm of FILE dropped first; IMPL the row's name in lower case with '-'",
            "      for other characters, e.g. pp-gentcp-active-once.hgrm), FILE-IMPL-runR.hgrm with",
            "      --runs above 1.");
        section("manyecho", "N clients at once against a virtual-thread-per-connection echo server (Java 21+)", false,
            "  manyecho [--clients N] [--rounds R] [--pause-ms P] [--size B] [--timeout-ms T]",
            "           [--server S] [--runs K]",
            "      N clients at once (default 2000) against an echo server with a virtual thread per",
            "      connection in this JVM, gentcp's or java.net's ({packet, 4}, passive recv/send;",
            "      ServerSocket/Socket); the clients are java.net sockets on virtual threads in a",
            "      second JVM, each making R round trips (default 20) of B body bytes (default 64),",
            "      pausing P ms between them (default 10), every byte checked; a connect or read that",
            "      waits T ms (default 10000) times the client out. S: gentcp, java.net or both",
            "      (default, one after the other), each first warmed up unmeasured (50 clients of",
            "      50 round trips, from this JVM). Java 21+. Prints 'manyecho clients=N ...', then per",
            "      run 'server=S clients=N done=N timed_out=N failed=N round_trips=N bytes=N seconds=X",
            "      rtt/s=N p50_us=X p99_us=X max_us=X server_cpu_s=X' (this JVM's CPU time in the",
            "      run); --runs K repeats each server K times (interleaved) and then prints",
            "      'median server=S runs=K rtt/s=N p50_us=X p99_us=X server_cpu_s=X'.",
            "      Exits 1 if a client of any run was not done.");
        section("fanin",
            "one-process servers serving N echo connections under a C load: msg/s and CPU per round trip", false,
            "  fanin --connections N [--seconds S] [--inflight K] [--rounds R] [--warmup-seconds W]",
            "        [--cpus S,C] [--servers LIST] [--json]",
            "      one-process servers serving N {packet, 4} echo connections (default 1000), side by",
            "      side, each in a process of its own with a listen queue of N: gentcp-once and",
            "      gentcp-n (one thread, one mailbox, {active, once} / {active, 100}), gentcp-n-delay",
            "      (gentcp-n with {delay_send, true}: a receive's echoes gathered, one write per",
            "      connection, as Netty flushes once per read batch), gentcp-virtual",
            "      (a virtual thread per connection, Java 21+), netty-epoll (one event loop), nio (one",
            "      Selector thread) and c-epoll (a C epoll server, the floor); LIST picks some, comma",
            "      separated. The load is a one-thread C epoll program: K requests of 64 bytes in",
            "      flight per connection (default 1), every echo checked, W seconds of warm-up",
            "      (default 2), then S measured (default 5); R rounds (default 3), servers interleaved.",
            "      Prints per run 'round=R server=X connections=N msg/s=N p50_us=X p99_us=X",
            "      p99.9_us=X cpu_us/rt=X user_us/rt=X' (the server process's user + system CPU time",
            "      per round trip, then its user part alone), per server 'median server=X ...', then",
            "      the best gentcp mailbox server, 'fanin: gentcp/netty msg/s = X, cpu/rt",
            "      gentcp/netty = Y, gentcp/c = Z at N connections' and 'fanin user part: cpu/rt",
            "      gentcp/netty = Y, gentcp/c = Z'. --cpus pins the server process to CPU S and the",
            "      load to CPU C.",
            "      --json prints each line as one object: {\"type\":\"settings\"|\"server\"|\"skipped\"|",
            "      \"round\"|\"failed\"|\"median\"|\"best\"|\"comparison\"|\"user_part\",...}, a round's",
            "      with msg_per_s, p50_us, p99_us, p99.9_us, cpu_us_per_rt, user_us_per_rt and count.",
            "      Linux only. Exits 1 if a run failed (after printing the rest).");
        section("sink", "receives on every connection until the peer closes; prints 'listening on PORT' first", true,
            "  sink --port P [--packet T] [--nodelay] [--json]",
            "      receives on every connection until the peer closes (one thread each, passive",
            "      recv into a reused direct buffer); prints 'listening on PORT' first, then per",
            "      connection 'bytes=N packets=N seconds=S MiB/s=X msg/s=N' (body bytes; with",
            "      packet 0 each recv counts as a packet). Runs until killed. Default T: 0.",
            "      --nodelay sets {nodelay, true} (TCP_NODELAY) on every connection.",
            "      --json: {\"type\":\"listening\",\"port\":PORT} first, then per connection",
            "      {\"type\":\"transfer\",\"bytes\":N,\"packets\":N,\"seconds\":S,\"mib_per_s\":X,\"msg_per_s\":N}.");
        section("blast", "sends N bytes to a peer, then waits for it to close", true,
            "  blast --host H --port P [--packet T] [--size B] [--bytes N] [--delay-send] [--nodelay]",
            "        [--high-watermark B] [--json]",
            "      sends N bytes (default 1073741824) in sends of B (default 65536; the last one",
            "      shorter), shuts down writing, waits for the peer to close, then prints the same",
            "      line as sink (packets = sends). T: 0, 1, 2, 4 or raw; default 0.",
            "      --delay-send sets {delay_send, true}, --nodelay {nodelay, true} (TCP_NODELAY),",
            "      --high-watermark {high_watermark, B} and {low_watermark, B/2} (default 8192, 4096).",
            "      --json prints the line as sink --json prints a transfer.");
        section("throughput", "one-way transfers with a C end: MiB/s and msg/s of each row", false,
            "  throughput [--bytes N] [--messages M] [--runs R] [--cpus S,C] [--nodelay] [--json]",
            "      one-way transfers over loopback, each with one end the C reference: C -> C,",
            "      gentcp -> C, gentcp delay_send -> C ({delay_send, true}), C -> gentcp,",
            "      java.nio -> C, C -> java.nio; first N raw bytes in",
            "      65536-byte sends (default 2147483648), then M 1024-byte {packet, 4} messages, one",
            "      send each (default 1048576). Prints MiB/s, msg/s and each row over the C -> C row,",
            "      as the receiver counted them after a warm-up transfer of an eighth of the size.",
            "      --runs repeats each table R times, rows interleaved, and prints each row's median",
            "      (default 1).",
            "      --cpus runs the receiver on CPU S and the sender on CPU C. Default: not pinned.",
            "      --nodelay sets TCP_NODELAY at every end of every row (Nagle off).",
            "      --json prints each row as one object, {\"type\":\"row\",\"table\":\"raw\"|\"packet4\",",
            "      \"send_size\":B,\"bytes\":N,\"runs\":R,\"sender\":S,\"receiver\":R,\"mib_per_s\":X,",
            "      \"msg_per_s\":N,\"vs_c\":X}, without the titles and headers.");
        section("hostile", "hostile clients against gentcp sockets: what the receive budget holds", false,
            "  hostile [--connections N] [--claim-mb M] [--seconds S] [--budget-mb B] [--kind K] [--active A]",
            "      N hostile java.net clients in this JVM (default 8), writing as fast as loopback takes",
            "      it for S seconds (default 20) to gentcp sockets: K packet4 (the default), a {packet, 4}",
            "      header claiming M MiB (default 2000) then all of it but its last byte; http-headers,",
            "      header lines that never end; http-line, one header line that never ends. Received",
            "      passively (a thread each) or, --active true, through one mailbox. B: the receive",
            "      budget in MiB (default: the library's). Prints how each connection ended, the most",
            "      the receive buffers held and the budget charged, then 'peak rss MB: N' (VmHWM).");
        section("decode", "erlang:decode_packet/3 as a filter on standard input", false,
            "  decode",
            "      erlang:decode_packet/3 as a filter: reads lines 'TYPE HEX [packet_size=N]",
            "      [line_length=N] [line_delimiter=N]' and prints each result as io:format(\"~w~n\")",
            "      would; a line it cannot read prints 'error: ...'.");
        section("jmh", "the JMH benchmarks", false,
            "  jmh [JMH arguments]",
            "      the JMH benchmarks, e.g. jmh -f 1 -prof gc PingPongBenchmark",
            "      (also SendThroughputBenchmark, MailboxFanInBenchmark and, on Java 21+,",
            "      VirtualPingPongBenchmark: gentcp beside java.net, every thread virtual)");
    }

    /** One command's help: its one-line summary, its lines, and whether the {@link #LEGEND} follows them. */
    private record Section(String summary, List<String> lines, boolean legend)
    {
    }

    private Usage()
    {
    }

    private static void section(final String command, final String summary, final boolean legend,
        final String... lines)
    {
        SECTIONS.put(command, new Section(summary, List.of(lines), legend));
    }

    /** Whether COMMAND has a help of its own (the commands {@link #top()} lists). */
    static boolean has(final String command)
    {
        return SECTIONS.containsKey(command);
    }

    /** The commands, in the order {@link #top()} lists them. */
    static List<String> commands()
    {
        return List.copyOf(SECTIONS.keySet());
    }

    /** {@code gentcp --help}: the commands with one line each, and how to get more. */
    static String top()
    {
        final StringBuilder text = new StringBuilder("usage: " + PROGRAM + " <command> [options]\n\ncommands:\n");
        SECTIONS.forEach((command, section) ->
            text.append(String.format(Locale.ROOT, "  %-12s%s\n", command, section.summary())));
        return text.append("\n")
            .append("'").append(PROGRAM).append(" COMMAND --help' (or 'help COMMAND') prints a command's flags;\n")
            .append("--version prints the version. ")
            .append("A flag's value may follow it or an '=': --count 1000, --count=1000.\n")
            .append("--cpus S,C must name CPUs this process may run on; it is checked before anything starts.\n")
            .toString();
    }

    /**
     * {@code gentcp COMMAND --help}: the command's flags and what it prints.
     *
     * @throws IllegalArgumentException if COMMAND has no help ({@link #has}).
     */
    static String of(final String command)
    {
        final Section section = SECTIONS.get(command);
        if (section == null)
        {
            throw new IllegalArgumentException("no help for '" + command + "'");
        }
        final StringBuilder text = new StringBuilder("usage: " + PROGRAM + " ");
        text.append(section.lines().get(0).strip()).append('\n');
        for (final String line : section.lines().subList(1, section.lines().size()))
        {
            text.append(line).append('\n');
        }
        if (section.legend())
        {
            text.append('\n');
            LEGEND.forEach(line -> text.append(line).append('\n'));
        }
        return text.toString();
    }
}
