/**
 * fanin's Java servers, each serving many {@code {packet, 4}} echo connections from one process:
 * gentcp's one-mailbox server ({@code GenTcpMailboxServer}, {@code MailboxEchoLoop}), java.nio's
 * selector server and Netty's epoll server; and {@code FaninServer}, the main class of the child
 * JVM in which the {@code fanin} command runs one of them (or gentcp's virtual-thread server),
 * started by its class name.
 */
package io.gentcp.bench.fanin;
