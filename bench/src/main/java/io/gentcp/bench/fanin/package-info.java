/**
 * fanin's Java servers, each serving many {@code {packet, 4}} echo connections from one process:
 * gentcp's one-mailbox server ({@code GenTcpMailboxServer}, {@code MailboxEchoLoop}), java.nio's
 * selector server and Netty's epoll server; {@code FaninServer}, the main class of the child
 * JVM in which the {@code fanin} command runs one of them (or gentcp's virtual-thread server),
 * started by its class name; and the command's child processes: {@code ServerProcess} (a server
 * started and stopped) and {@code LoadGenerator} (the C load program, run against one).
 */
package io.gentcp.bench.fanin;
