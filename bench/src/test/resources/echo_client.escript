#!/usr/bin/env escript
%% An OTP gen_tcp client for the echo interop test: connects to a gentcp echo server with
%% {packet, Type}, sends one packet of each body size (building the header itself where the
%% type leaves that to the application) and checks that the same bytes come back.
%% Prints "ok N" (N packets echoed) or "error ..." and exits 0 or 1.
main([Port, TypeText | Sizes]) ->
    Type = type(TypeText),
    {ok, S} = gen_tcp:connect({127,0,0,1}, list_to_integer(Port),
                              [binary, {packet, Type}, {active, false}, {recbuf, 1 bsl 20}], 10000),
    N = lists:foldl(
          fun(SizeText, Count) ->
                  Size = list_to_integer(SizeText),
                  Packet = packet(Type, body(Size)),
                  ok = gen_tcp:send(S, Packet),
                  Expected = Packet, % 1, 2, 4: the driver adds and strips the header
                  case recv(S, Type, byte_size(Expected), <<>>) of
                      Expected -> Count + 1;
                      Other -> io:format("error ~p size ~p: got ~p bytes~n", [Type, Size, byte_size(Other)]),
                               halt(1)
                  end
          end, 0, Sizes),
    ok = gen_tcp:close(S),
    io:format("ok ~p~n", [N]).

type(T) ->
    case string:to_integer(T) of
        {N, ""} -> N;
        _ -> list_to_atom(T)
    end.

%% Bytes that never contain a newline, so a line's only newline is its last byte.
body(Size) ->
    binary:part(binary:copy(<<"0123456789abcdefghijklmnopqrstuvwxyz">>, Size div 36 + 1), 0, Size).

packet(T, Body) when T =:= 0; T =:= raw; T =:= 1; T =:= 2; T =:= 4 -> Body;
packet(sunrm, Body) -> <<1:1, (byte_size(Body)):31, Body/binary>>;
packet(asn1, Body) -> <<16#30, 16#84, (byte_size(Body)):32, Body/binary>>;
packet(cdr, Body) -> <<"GIOP", 1, 0, 0, 0, (byte_size(Body)):32, Body/binary>>;
packet(fcgi, Body) -> <<1, 1, 0, 1, (byte_size(Body)):16, 0, 0, Body/binary>>;
packet(tpkt, Body) -> <<3, 0, (byte_size(Body) + 4):16, Body/binary>>;
packet(line, Body) -> <<Body/binary, "\n">>.

%% Raw and line data may come back in pieces; the framed types come back whole.
recv(S, T, Size, Acc) when (T =:= 0 orelse T =:= raw orelse T =:= line), byte_size(Acc) < Size ->
    {ok, B} = gen_tcp:recv(S, 0, 30000),
    recv(S, T, Size, <<Acc/binary, B/binary>>);
recv(_S, T, _Size, Acc) when T =:= 0; T =:= raw; T =:= line ->
    Acc;
recv(S, _T, _Size, _Acc) ->
    {ok, B} = gen_tcp:recv(S, 0, 30000),
    B.
