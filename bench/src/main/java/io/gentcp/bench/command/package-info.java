/**
 * One class per command of the gentcp tool ({@code echo}, {@code ping}, {@code pingpong},
 * {@code manyecho}, {@code fanin}, {@code hostile}, {@code sink}, {@code blast},
 * {@code throughput}, {@code decode}), each with its {@code FLAGS} and a {@code run} that
 * {@link io.gentcp.bench.Main} calls, and beside them what only the commands print or parse: the
 * latency lines and table ({@code LatencyReport}, {@code LatencyJson}, {@code PingPongTable}),
 * fanin's and manyecho's results, and {@code ManyEchoClients}, the client JVM {@code manyecho}
 * starts ({@code manyecho-clients}).
 */
package io.gentcp.bench.command;
