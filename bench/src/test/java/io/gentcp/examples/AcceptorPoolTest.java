package io.gentcp.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The manual's acceptor pool serves several clients at once, each connection on its own worker. */
@Timeout(60)
class AcceptorPoolTest
{
    @Test
    void aPoolOfWorkersAnswersConcurrentClients() throws Exception
    {
        final int port = AcceptorPool.start(4, 0);
        final List<CompletableFuture<String>> answers = new ArrayList<>();
        for (int i = 0; i < 20; i++)
        {
            final String request = "request " + i;
            answers.add(CompletableFuture.supplyAsync(() -> AcceptorPool.client(port, request)));
        }
        for (int i = 0; i < 20; i++)
        {
            assertEquals(new StringBuilder("request " + i).reverse().toString(),
                answers.get(i).get(20, TimeUnit.SECONDS));
        }
    }
}
