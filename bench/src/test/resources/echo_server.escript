#!/usr/bin/env escript
%% An OTP gen_tcp echo server for the interop tests: listens on a free port with
%% {packet, Type}, prints "listening on PORT", echoes one connection until it closes, then
%% prints "done N" (packets echoed) and exits.
main([TypeText]) ->
    Type = case string:to_integer(TypeText) of {N, ""} -> N; _ -> list_to_atom(TypeText) end,
    {ok, L} = gen_tcp:listen(0, [binary, {packet, Type}, {active, false}, {reuseaddr, true}]),
    {ok, Port} = inet:port(L),
    io:format("listening on ~p~n", [Port]),
    {ok, S} = gen_tcp:accept(L, 60000),
    Count = loop(S, 0),
    io:format("done ~p~n", [Count]).

loop(S, Count) ->
    case gen_tcp:recv(S, 0, 60000) of
        {ok, Data} -> ok = gen_tcp:send(S, Data), loop(S, Count + 1);
        {error, closed} -> Count
    end.
