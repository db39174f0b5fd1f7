#!/usr/bin/env escript
%% An OTP gen_tcp client for the interop tests: connects to a gentcp echo server with
%% {packet, P}, sends one packet of each size and checks that the same bytes come back.
%% Prints "ok N" (N = packets echoed) or "error ..." and exits 0/1.
main([Port, Packet | Sizes]) ->
    P = list_to_integer(Packet),
    {ok, S} = gen_tcp:connect({127,0,0,1}, list_to_integer(Port),
                              [binary, {packet, P}, {active, false}], 10000),
    N = lists:foldl(
          fun(SizeText, Count) ->
                  Size = list_to_integer(SizeText),
                  Data = list_to_binary([X rem 256 || X <- lists:seq(1, Size)]),
                  ok = gen_tcp:send(S, Data),
                  case recv_all(S, P, Size, <<>>) of
                      Data -> Count + 1;
                      Other -> io:format("error size ~p got ~p bytes~n", [Size, byte_size(Other)]),
                               halt(1)
                  end
          end, 0, Sizes),
    ok = gen_tcp:close(S),
    io:format("ok ~p~n", [N]).

%% With packet 0 the echo may come back in pieces; framed types return one packet.
recv_all(S, 0, Size, Acc) when byte_size(Acc) < Size ->
    {ok, B} = gen_tcp:recv(S, 0, 10000),
    recv_all(S, 0, Size, <<Acc/binary, B/binary>>);
recv_all(_S, 0, _Size, Acc) ->
    Acc;
recv_all(S, _P, _Size, _Acc) ->
    {ok, B} = gen_tcp:recv(S, 0, 10000),
    B.
