package io.gentcp.examples;

import static io.gentcp.Option.active;
import static io.gentcp.Option.once;
import static io.gentcp.Option.packet;

import io.gentcp.GenTcp;
import io.gentcp.GenTcpException;
import io.gentcp.Inet;
import io.gentcp.ListenSocket;
import io.gentcp.Mailbox;
import io.gentcp.Socket;
import io.gentcp.Tcp;
import io.gentcp.TcpClosed;

/**
 * The EXAMPLES section of the gen_tcp manual, line by line: a server of NUM worker threads
 * accepting on one listen socket, each serving its connection with {@code {active, once}},
 * and a client. {@code process/1} is not implemented in the manual; here it answers the
 * request reversed.
 *
 * <p>Run by {@code AcceptorPoolTest}, or by hand after {@code mvn package} (the examples are
 * compiled with the tests, not shipped in gentcp.jar):
 * {@code java -cp bench/target/test-classes:bench/target/gentcp.jar io.gentcp.examples.AcceptorPool [NUM]}.
 */
public final class AcceptorPool
{
    private AcceptorPool()
    {
    }

    /*
     * start(Num,LPort) ->
     *     case gen_tcp:listen(LPort,[{active, false},{packet,2}]) of
     *         {ok, ListenSock} ->
     *             start_servers(Num,ListenSock),
     *             {ok, Port} = inet:port(ListenSock),
     *             Port;
     *         {error,Reason} ->
     *             {error,Reason}
     *     end.
     */
    public static int start(final int num, final int lPort)
    {
        final ListenSocket listenSock = GenTcp.listen(lPort, active(false), packet(2));
        startServers(num, listenSock);
        return Inet.port(listenSock);
    }

    /*
     * start_servers(0,_) -> ok;
     * start_servers(Num,LS) -> spawn(?MODULE,server,[LS]), start_servers(Num-1,LS).
     */
    static void startServers(final int num, final ListenSocket ls)
    {
        for (int i = 0; i < num; i++)
        {
            final Thread t = new Thread(() -> server(ls), "server-" + i);
            t.setDaemon(true);
            t.start();
        }
    }

    /*
     * server(LS) ->
     *     case gen_tcp:accept(LS) of
     *         {ok,S} -> loop(S), server(LS);
     *         Other -> io:format("accept returned ~w - goodbye!~n",[Other]), ok
     *     end.
     */
    static void server(final ListenSocket ls)
    {
        while (true)
        {
            final Socket s;
            try
            {
                s = GenTcp.accept(ls);
            }
            catch (final GenTcpException other)
            {
                System.out.printf("accept returned %s - goodbye!%n", other.reason());
                Mailbox.current().close();
                return;
            }
            loop(s);
        }
    }

    /*
     * loop(S) ->
     *     inet:setopts(S,[{active,once}]),
     *     receive
     *         {tcp,S,Data} -> Answer = process(Data), gen_tcp:send(S,Answer), loop(S);
     *         {tcp_closed,S} -> io:format("Socket ~w closed [~w]~n",[S,self()]), ok
     *     end.
     */
    static void loop(final Socket s)
    {
        while (true)
        {
            Inet.setopts(s, active(once()));
            final Object message = Mailbox.current().receive();
            if (message instanceof Tcp tcp && tcp.socket() == s)
            {
                final String answer = process((String)tcp.data());
                GenTcp.send(s, answer);
            }
            else if (message instanceof TcpClosed closed && closed.socket() == s)
            {
                System.out.printf("Socket %s closed [%s]%n", s, Thread.currentThread().getName());
                GenTcp.close(s);
                return;
            }
        }
    }

    static String process(final String data)
    {
        return new StringBuilder(data).reverse().toString();
    }

    /*
     * client(PortNo,Message) ->
     *     {ok,Sock} = gen_tcp:connect("localhost",PortNo,[{active,false},{packet,2}]),
     *     gen_tcp:send(Sock,Message),
     *     A = gen_tcp:recv(Sock,0),
     *     gen_tcp:close(Sock),
     *     A.
     */
    public static String client(final int portNo, final String message)
    {
        final Socket sock = GenTcp.connect("localhost", portNo, active(false), packet(2));
        GenTcp.send(sock, message);
        final String a = GenTcp.recv(sock, 0);
        GenTcp.close(sock);
        return a;
    }

    /** Starts a pool of NUM (default 3) servers on a free port and sends it three requests. */
    public static void main(final String[] args)
    {
        final int port = start(args.length > 0 ? Integer.parseInt(args[0]) : 3, 0);
        System.out.println("listening on " + port);
        for (final String request : new String[] {"hello", "gen_tcp", "from java"})
        {
            System.out.println(request + " -> " + client(port, request));
        }
    }
}
