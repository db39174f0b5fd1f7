#!/usr/bin/env escript
%% The Erlang side of the HTTP interop test. Sends the bytes of the file named by the second
%% argument, as one pipelined stream, both to the gentcp socket at the port given first and to
%% an Erlang server socket in {packet, Type} mode of its own, and prints every term its own
%% socket delivers, one ~w line each, until the stream ends ("closed").
main([PortText, File, TypeText]) ->
    Type = list_to_atom(TypeText),
    {ok, Stream} = file:read_file(File),
    {ok, L} = gen_tcp:listen(0, [binary, {packet, Type}, {active, false}, {packet_size, 65536}]),
    {ok, Own} = inet:port(L),
    {ok, ToOwn} = gen_tcp:connect({127,0,0,1}, Own, [binary, {active, false}]),
    {ok, S} = gen_tcp:accept(L, 10000),
    {ok, ToGentcp} = gen_tcp:connect({127,0,0,1}, list_to_integer(PortText), [binary, {active, false}]),
    ok = gen_tcp:send(ToOwn, Stream),
    ok = gen_tcp:send(ToGentcp, Stream),
    ok = gen_tcp:close(ToOwn),
    ok = gen_tcp:close(ToGentcp),
    print(S).

print(S) ->
    case gen_tcp:recv(S, 0, 10000) of
        {ok, Term} -> io:format("~w~n", [Term]), print(S);
        {error, closed} -> io:format("closed~n")
    end.
