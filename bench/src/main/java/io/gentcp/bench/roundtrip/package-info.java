/**
 * The ping-pong engines that run in this JVM: each client's round trip ({@code RoundTrip}:
 * gentcp passive and active, java.nio, java.net) and the echo servers they run against (gentcp's
 * acceptor pool, java.nio, and gentcp and java.net with a virtual thread per connection), the
 * sampler that times round trips into a histogram, the workload and the figures of a run
 * ({@code Workload}, {@code Figures}, {@code Measured}), the framing the java.nio and java.net
 * peers share, and {@code VirtualThreads} for a tool built for Java 17. Used by {@code ping},
 * {@code pingpong}, {@code echo}, {@code manyecho} and the JMH benchmarks.
 */
package io.gentcp.bench.roundtrip;
