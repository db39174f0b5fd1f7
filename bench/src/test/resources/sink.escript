#!/usr/bin/env escript
%% An OTP gen_tcp sink for the throughput interop test: listens with {packet, Type}, prints
%% "listening on PORT", accepts one connection, receives until the peer closes, then prints
%% "bytes B packets P" (body bytes and packets received) and exits.
-mode(compile).

main([TypeText]) ->
    {ok, L} = gen_tcp:listen(0, [binary, {packet, type(TypeText)}, {active, false}, {reuseaddr, true}]),
    {ok, Port} = inet:port(L),
    io:format("listening on ~p~n", [Port]),
    {ok, S} = gen_tcp:accept(L, 60000),
    {Bytes, Packets} = loop(S, 0, 0),
    ok = gen_tcp:close(S),
    io:format("bytes ~p packets ~p~n", [Bytes, Packets]).

loop(S, Bytes, Packets) ->
    case gen_tcp:recv(S, 0, 60000) of
        {ok, Data} -> loop(S, Bytes + byte_size(Data), Packets + 1);
        {error, closed} -> {Bytes, Packets}
    end.

type(T) ->
    case string:to_integer(T) of
        {N, ""} -> N;
        _ -> list_to_atom(T)
    end.
