/**
 * The ends of a one-way transfer, for {@code sink}, {@code blast} and {@code throughput}: gentcp's
 * sender ({@code Blast}) and receiver ({@code Sink}, {@code SinkServer}), the java.nio ends
 * ({@code NioTransfer}), a gentcp end's socket options ({@code Tuning}) and what one end counted
 * ({@code Transfer}).
 */
package io.gentcp.bench.transfer;
