#!/usr/bin/env escript
%% The Erlang side of the decode conformance test: reads the file named by the first argument,
%% one case a line, "TYPE HEX [packet_size=N] [line_length=N] [line_delimiter=N]", and prints
%% for each io:format("~w~n", [erlang:decode_packet(Type, Bin, Opts)]), as `gentcp.jar decode`
%% does. A call that raises prints "badarg".
main([File]) ->
    {ok, Data} = file:read_file(File),
    Lines = binary:split(Data, <<"\n">>, [global, trim]),
    lists:foreach(fun(Line) -> io:format("~s~n", [one(Line)]) end, Lines).

one(Line) ->
    [TypeText | Rest] = binary:split(Line, <<" ">>, [global, trim_all]),
    Type = type(binary_to_list(TypeText)),
    {Hex, Opts} = case Rest of
                      [] -> {<<>>, []};
                      [First | More] ->
                          case binary:match(First, <<"=">>) of
                              nomatch -> {First, More};
                              _ -> {<<>>, Rest}
                          end
                  end,
    Bin = binary:decode_hex(Hex),
    Options = [option(O) || O <- Opts],
    try io_lib:format("~w", [erlang:decode_packet(Type, Bin, Options)])
    catch error:badarg -> "badarg"
    end.

type(T) ->
    case string:to_integer(T) of
        {N, ""} -> N;
        _ -> list_to_atom(T)
    end.

option(O) ->
    [Name, Value] = binary:split(O, <<"=">>),
    {binary_to_atom(Name), binary_to_integer(Value)}.
