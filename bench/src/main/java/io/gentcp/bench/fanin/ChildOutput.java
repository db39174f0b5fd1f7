package io.gentcp.bench.fanin;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reading a child process's output with a bound on the wait: what {@link ServerProcess} and {@link LoadGenerator}
 * share.
 */
final class ChildOutput
{
    private ChildOutput()
    {
    }

    /** The first line of IN, or null at its end, within MS milliseconds (else an IOException naming WHAT). */
    static String firstLine(final InputStream in, final long ms, final String what)
        throws IOException, InterruptedException
    {
        final BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        return within(CompletableFuture.supplyAsync(() ->
        {
            try
            {
                return lines.readLine();
            }
            catch (final IOException e)
            {
                return null;
            }
        }), ms, what);
    }

    /** All of IN as text, read on another thread (empty if reading fails), for {@link #within}. */
    static CompletableFuture<String> readAll(final InputStream in)
    {
        return CompletableFuture.supplyAsync(() ->
        {
            try (in)
            {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            catch (final IOException e)
            {
                return "";
            }
        });
    }

    /** FUTURE's value within MS milliseconds, else an IOException naming WHAT. */
    static <T> T within(final CompletableFuture<T> future, final long ms, final String what)
        throws IOException, InterruptedException
    {
        try
        {
            return future.get(ms, TimeUnit.MILLISECONDS);
        }
        catch (final TimeoutException e)
        {
            throw new IOException(what + ": nothing within " + ms + " ms", e);
        }
        catch (final ExecutionException e)
        {
            throw new IOException(what + ": " + e.getCause(), e.getCause());
        }
    }
}
