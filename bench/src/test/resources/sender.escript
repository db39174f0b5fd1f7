#!/usr/bin/env escript
%% An OTP gen_tcp sender for the throughput interop test: connects with {packet, Type}, sends
%% Count packets of Size bytes, shuts down writing, waits for the peer to close, then prints
%% "sent B" (body bytes sent) and exits.
-mode(compile).

main([PortText, TypeText, SizeText, CountText]) ->
    {ok, S} = gen_tcp:connect({127,0,0,1}, list_to_integer(PortText),
                              [binary, {packet, type(TypeText)}, {active, false}], 10000),
    Body = binary:copy(<<16#5a>>, list_to_integer(SizeText)),
    Count = list_to_integer(CountText),
    lists:foreach(fun(_) -> ok = gen_tcp:send(S, Body) end, lists:seq(1, Count)),
    ok = gen_tcp:shutdown(S, write),
    {error, closed} = gen_tcp:recv(S, 0, 60000),
    io:format("sent ~p~n", [Count * byte_size(Body)]).

type(T) ->
    case string:to_integer(T) of
        {N, ""} -> N;
        _ -> list_to_atom(T)
    end.
