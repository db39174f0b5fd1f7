#!/usr/bin/env escript
%% An OTP gen_tcp peer for the interop tests: connects with {packet, P}, sends each
%% argument as one packet, then closes. Prints "sent N".
main([Port, Packet | Messages]) ->
    {ok, S} = gen_tcp:connect({127,0,0,1}, list_to_integer(Port),
                              [binary, {packet, list_to_integer(Packet)}, {active, false}], 10000),
    [ok = gen_tcp:send(S, M) || M <- Messages],
    ok = gen_tcp:close(S),
    io:format("sent ~p~n", [length(Messages)]).
