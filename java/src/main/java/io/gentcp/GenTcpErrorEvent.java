package io.gentcp;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * JFR event {@code io.gentcp.Error}: an error other than the routine ones ({@code closed},
 * {@code timeout}, {@code enotconn}, {@code ealready}, {@code econnreset}, {@code emsgsize}):
 * a call's exception, or an active socket's {@code tcp_error} message. With its stack trace,
 * which names the call. Off unless a recording enables it (README, "JFR events").
 */
@Name("io.gentcp.Error")
@Category("io.gentcp")
@Label("Error")
@Description("An error other than the routine ones: its reason and what it was about")
@Enabled(false)
final class GenTcpErrorEvent extends jdk.jfr.Event
{
    @Label("Reason")
    @Description("The Erlang reason: econnrefused, eaddrinuse...")
    String reason;

    @Label("Message")
    @Description("What failed: \"econnrefused: connect 127.0.0.1:5678\", or tcp_error and the socket")
    String message;

    /** Records REASON and MESSAGE when the event is enabled. */
    static void of(final Reason reason, final String message)
    {
        final GenTcpErrorEvent event = new GenTcpErrorEvent();
        if (event.shouldCommit())
        {
            event.reason = reason.atom();
            event.message = message;
            event.commit();
        }
    }

    /** Records an active SOCKET's tcp_error message with REASON when the event is enabled. */
    static void tcpError(final Reason reason, final Socket socket)
    {
        final GenTcpErrorEvent event = new GenTcpErrorEvent();
        if (event.shouldCommit())
        {
            event.reason = reason.atom();
            event.message = "tcp_error on " + socket;
            event.commit();
        }
    }
}
