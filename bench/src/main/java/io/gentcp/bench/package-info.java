/**
 * The gentcp tool's entry point and its command-line plumbing: {@link io.gentcp.bench.Main}
 * (dispatch, exit status), {@link io.gentcp.bench.Flags} and
 * {@link io.gentcp.bench.UsageException} (a command's flags and a bad command line),
 * {@link io.gentcp.bench.Help}, {@link io.gentcp.bench.Usage} and
 * {@link io.gentcp.bench.Version} ({@code --help}, {@code --version}),
 * {@link io.gentcp.bench.Json} and {@link io.gentcp.bench.HgrmFiles} ({@code --json} and
 * {@code --hgrm} output), {@link io.gentcp.bench.Placement} and {@link io.gentcp.bench.Cpus}
 * ({@code --cpus}: where the two ends of a run are pinned).
 *
 * <p>The subpackages: {@code command}, one class per command with what only it prints;
 * {@code roundtrip}, the ping-pong clients and echo servers in this JVM; {@code transfer}, the
 * one-way transfer ends of sink, blast and throughput; {@code reference}, the C reference
 * programs the tool runs as child processes; {@code fanin}, fanin's one-process Java servers
 * and the child JVM that runs one; {@code jmh}, the JMH benchmarks.
 */
package io.gentcp.bench;
