#!/usr/bin/env escript
%%! -noshell
%% The error-sequencing scenarios of ErrorSequencingTest, run on OTP's gen_tcp (inet backend):
%% prints the answers of the calls, in order, on one line ("recv:closed send:enotconn ...";
%% a message the owner gets is "tcp_error:Reason" or "tcp_closed"): of the scenario named, or
%% of each as "Name: Line" without an argument. ErrorSequencingTest runs
%% the same steps on gentcp and requires the same line. OTP 25.2.3 printed the lines recorded
%% in that test.
-mode(compile).

main([]) ->
    [io:format("~s: ~s~n", [S, string:join(run(S), " ")]) || S <- scenarios()];
main([Scenario]) ->
    io:format("~s~n", [string:join(run(list_to_atom(Scenario)), " ")]).

scenarios() ->
    [active_emsgsize, reset, reset_show, reset_half_close, reset_half_close_show,
     reset_active_show, reset_active_half_close, reset_active_half_close_show, names_after_end,
     passive_emsgsize, own_shutdown, deliver_port_accepted, deliver_port_connected,
     oversize_after_packet, emsgsize_half_close, passive_emsgsize_then_active,
     passive_emsgsize_then_active_half_close].

%% A connected pair on 127.0.0.1: the accepted end A takes the options LOpts (through its
%% listen socket) and starts passive; the connecting end C is passive and raw.
pair(LOpts) ->
    {ok, L} = gen_tcp:listen(0, [{ip, {127,0,0,1}}, binary, {active, false} | LOpts]),
    {ok, P} = inet:port(L),
    {ok, C} = gen_tcp:connect({127,0,0,1}, P, [binary, {active, false}]),
    {ok, A} = gen_tcp:accept(L, 5000),
    ok = gen_tcp:close(L),
    {C, A}.

%% The peer resets the connection (SO_LINGER 0).
reset(C) ->
    ok = inet:setopts(C, [{linger, {true, 0}}]),
    ok = gen_tcp:close(C).

answer(ok) -> "ok";
answer({ok, Data}) -> w(Data);
answer({error, R}) -> atom_to_list(R).

w(Term) -> lists:flatten(io_lib:format("~w", [Term])).

recv(S) -> "recv:" ++ answer(gen_tcp:recv(S, 0, 5000)).
send(S) -> "send:" ++ answer(gen_tcp:send(S, <<"x">>)).
getopts(S) ->
    "getopts:" ++ case inet:getopts(S, [active]) of {ok, _} -> "ok"; Error -> answer(Error) end.

%% The owner's messages up to tcp_closed.
messages(S) ->
    receive
        {tcp, S, Data} -> ["tcp:" ++ w(Data) | messages(S)];
        {S, {data, Data}} -> ["data:" ++ w(Data) | messages(S)];
        {tcp_error, S, R} -> ["tcp_error:" ++ atom_to_list(R) | messages(S)];
        {tcp_closed, S} -> ["tcp_closed"]
    after 5000 -> ["no tcp_closed"]
    end.

%% Active, exit_on_close: a packet over packet_size.
run(active_emsgsize) ->
    {C, A} = pair([{packet, 2}, {packet_size, 3}]),
    ok = inet:setopts(A, [{active, true}]),
    ok = gen_tcp:send(C, <<0, 4, "1234">>),
    messages(A) ++ [send(A), send(A), recv(A), getopts(A)];
%% Passive, exit_on_close: a packet over packet_size.
run(passive_emsgsize) ->
    {C, A} = pair([{packet, 2}, {packet_size, 3}]),
    ok = gen_tcp:send(C, <<0, 4, "1234">>),
    [recv(A), recv(A), send(A), getopts(A)];
%% Passive, exit_on_close: a packet over packet_size, then the socket turns {active, once}.
run(passive_emsgsize_then_active) ->
    {C, A} = pair([{packet, 2}, {packet_size, 3}]),
    ok = gen_tcp:send(C, <<0, 4, "1234">>),
    First = recv(A),
    ok = inet:setopts(A, [{active, once}]),
    [First | messages(A)] ++ [send(A), send(A), recv(A), getopts(A)];
%% Passive, exit_on_close, the peer resets.
run(reset) ->
    {C, A} = pair([]),
    reset(C),
    [recv(A), recv(A), send(A), send(A)];
run(reset_show) ->
    {C, A} = pair([{show_econnreset, true}]),
    reset(C),
    [recv(A), recv(A), send(A), send(A)];
%% Passive, {exit_on_close, false}, the peer resets.
run(reset_half_close) ->
    {C, A} = pair([{exit_on_close, false}]),
    reset(C),
    [recv(A), recv(A), recv(A), send(A), send(A), recv(A), recv(A), send(A)];
run(reset_half_close_show) ->
    {C, A} = pair([{exit_on_close, false}, {show_econnreset, true}]),
    reset(C),
    [recv(A), recv(A), recv(A), send(A), send(A), recv(A), recv(A), send(A)];
%% Passive, exit_on_close, the peer closes: the names and shutdown of the given-up socket.
run(names_after_end) ->
    {C, A} = pair([]),
    ok = gen_tcp:close(C),
    [recv(A), "sockname:" ++ answer(inet:sockname(A)), "peername:" ++ answer(inet:peername(A)),
     "shutdown:" ++ answer(gen_tcp:shutdown(A, write))];
%% Active, the peer resets.
run(reset_active_show) ->
    {C, A} = pair([{show_econnreset, true}]),
    reset(C),
    ok = inet:setopts(A, [{active, true}]),
    messages(A) ++ [send(A), send(A), getopts(A)];
run(reset_active_half_close) ->
    {C, A} = pair([{exit_on_close, false}]),
    reset(C),
    ok = inet:setopts(A, [{active, true}]),
    messages(A) ++ [send(A), send(A), send(A), getopts(A)];
run(reset_active_half_close_show) ->
    {C, A} = pair([{exit_on_close, false}, {show_econnreset, true}]),
    reset(C),
    ok = inet:setopts(A, [{active, true}]),
    messages(A) ++ [send(A), send(A), getopts(A)];
%% The differences from OTP that gentcp makes on purpose (the README's list): these lines are
%% OTP's, and ErrorSequencingTest requires gentcp's own.
%% A send after our own shutdown(write) fails; then the peer's data and close.
run(own_shutdown) ->
    {C, A} = pair([]),
    ok = gen_tcp:shutdown(A, write),
    ok = gen_tcp:send(C, <<"peer data">>),
    ok = gen_tcp:close(C),
    [send(A), recv(A), recv(A)];
%% {deliver, port} on an accepted binary socket, then with {header, 2}.
run(deliver_port_accepted) ->
    {C, A} = pair([{deliver, port}]),
    ok = inet:setopts(A, [{active, once}]),
    ok = gen_tcp:send(C, <<"p1">>),
    First = port_data(A),
    ok = inet:setopts(A, [{header, 2}, {active, once}]),
    ok = gen_tcp:send(C, <<"abc">>),
    [First, port_data(A)];
%% ... and on a connected one.
run(deliver_port_connected) ->
    {C, A} = pair([]),
    ok = inet:setopts(C, [{deliver, port}, {active, once}]),
    ok = gen_tcp:send(A, <<"c1">>),
    [port_data(C)];
%% A complete packet and an oversize one's header arrive in one read (one segment).
run(oversize_after_packet) ->
    {C, A} = pair([{packet, 2}, {packet_size, 3}]),
    ok = inet:setopts(A, [{active, true}]),
    ok = gen_tcp:send(C, <<0, 2, "ok", 0, 9, "123456789">>),
    First = receive {tcp, A, D} -> "tcp:" ++ w(D) after 5000 -> "no tcp" end,
    %% OTP says nothing more until another byte arrives: "quiet" when 500 ms pass so.
    receive
        {tcp_error, A, R} -> [First, "tcp_error:" ++ atom_to_list(R) | messages(A)]
    after 500 ->
        ok = gen_tcp:send(C, <<"x">>),
        [First, "quiet" | messages(A)]
    end;
%% {exit_on_close, false}: a packet over packet_size (OTP's recv then waits, here 200 ms, for a
%% packet to start in the middle of the bad one's body).
run(emsgsize_half_close) ->
    {C, A} = pair([{packet, 2}, {packet_size, 3}, {exit_on_close, false}]),
    ok = gen_tcp:send(C, <<0, 4, "1234">>),
    [recv(A), send(A), "recv:" ++ answer(gen_tcp:recv(A, 0, 200)), getopts(A)];
%% ... then the socket turns {active, once}: OTP's connection is still open (quiet when 500 ms
%% pass without a message).
run(passive_emsgsize_then_active_half_close) ->
    {C, A} = pair([{packet, 2}, {packet_size, 3}, {exit_on_close, false}]),
    ok = gen_tcp:send(C, <<0, 4, "1234">>),
    First = recv(A),
    ok = inet:setopts(A, [{active, once}]),
    receive
        {tcp_closed, A} -> [First, "tcp_closed", send(A), getopts(A)]
    after 500 -> [First, "quiet", send(A), getopts(A)]
    end.

port_data(S) ->
    receive {S, {data, Data}} -> "data:" ++ w(Data) after 5000 -> "no data" end.
