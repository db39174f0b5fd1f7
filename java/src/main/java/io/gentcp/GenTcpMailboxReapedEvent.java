package io.gentcp;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * JFR event {@code io.gentcp.MailboxReaped}: the {@link MailboxReaper} closed a mailbox, and
 * the sockets it owned, because its owner thread ended; its duration the close's. Off unless a
 * recording enables it (README, "JFR events").
 */
@Name("io.gentcp.MailboxReaped")
@Category("io.gentcp")
@Label("Mailbox Reaped")
@Description("The reaper closed a mailbox and its sockets: its owner thread had ended")
@Enabled(false)
@StackTrace(false)
final class GenTcpMailboxReapedEvent extends jdk.jfr.Event
{
    @Label("Mailbox")
    @Description("The mailbox, #Mailbox<thread>")
    String mailbox;

    @Label("Owner Thread")
    @Description("The owner thread that ended: its name and id")
    String ownerThread;
}
