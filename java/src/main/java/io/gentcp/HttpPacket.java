package io.gentcp;

/**
 * One packet of the HTTP packet types, as {@code erlang:decode_packet/3} and a socket in
 * {@code {packet, http | httph | http_bin | httph_bin}} deliver it.
 *
 * <p>Text fields are {@code String}s (one char per byte, ISO-8859-1) for {@code http} and
 * {@code httph}, and {@code byte[]} for {@code http_bin} and {@code httph_bin}, as Erlang gives
 * lists or binaries. {@code toString()} writes the Erlang term as {@code io:format("~w")} does.
 */
public sealed interface HttpPacket permits HttpRequest, HttpResponse, HttpHeader, HttpEoh, HttpError
{
}
