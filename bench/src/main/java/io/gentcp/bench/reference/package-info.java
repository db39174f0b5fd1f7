/**
 * The C reference programs, which travel in the tool's jar ({@code META-INF/native/<platform>/})
 * and run as child processes: {@code CReference} extracts them and runs the ping-pong reference
 * ({@code pingpong_ref}), {@code CEchoServer} its echoing end alone, {@code ThroughputRef} the
 * throughput reference ({@code throughput_ref}); {@code ReferenceOutput} parses pingpong_ref's
 * line. {@code fanin} extracts {@code fanin_load} and {@code fanin_echo} through
 * {@code CReference} too.
 */
package io.gentcp.bench.reference;
