/**
 * The JMH benchmarks ({@code gentcp jmh ...}): ping-pong round trips (platform and virtual
 * threads) against the echo servers of {@code io.gentcp.bench.roundtrip}, the send call alone,
 * and one mailbox fed by many sockets.
 */
package io.gentcp.bench.jmh;
