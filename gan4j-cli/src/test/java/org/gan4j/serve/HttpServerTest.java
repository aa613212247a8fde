package org.gan4j.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class HttpServerTest {
    private static final HttpServer.Limits SMALL = new HttpServer.Limits(1024, 4096, Duration.ofSeconds(20), Duration.ofSeconds(20));

    private final AtomicInteger handled = new AtomicInteger();
    private final CountDownLatch streamEnded = new CountDownLatch(1);
    private HttpServer server;

    /** /echo answers "METHOD PATH QUERY BODY"; /ignore leaves the body unread; /stream and /flood write until the write fails. */
    private int start(HttpServer.Limits limits) throws IOException {
        server = HttpServer.start("127.0.0.1", 0, limits, ex -> {
            handled.incrementAndGet();
            switch (ex.uri().getRawPath()) {
                case "/echo" -> {
                    String body = new String(ex.body().readAllBytes(), StandardCharsets.UTF_8);
                    ex.answerHeader("X-Echo", "yes");
                    ex.send(200, "text/plain; charset=utf-8", String.join(" ", ex.method(), ex.uri().getRawPath(), ex.uri().getRawQuery(), body).getBytes(StandardCharsets.UTF_8));
                }
                case "/ignore" -> ex.send(200, "text/plain", "ignored".getBytes(StandardCharsets.UTF_8));
                case "/stream", "/flood" -> stream(ex, ex.uri().getRawPath().equals("/flood"));
                case "/fail" -> throw new IllegalStateException("broken handler");
                default -> ex.send(404, "text/plain", "none".getBytes(StandardCharsets.UTF_8));
            }
        });
        return server.address().getPort();
    }

    private void stream(Exchange ex, boolean flood) throws IOException {
        try (OutputStream out = ex.stream(200, "text/event-stream")) {
            byte[] chunk = flood ? new byte[64 << 10] : "data: tick\n\n".getBytes(StandardCharsets.UTF_8);
            while (true) {
                out.write(chunk);
                out.flush();
                if (!flood) Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            streamEnded.countDown();
        }
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    private static void assertJsonError(int status, RawHttp.Response r, String request) throws IOException {
        assertEquals(status, r.status(), request + " -> " + r.text());
        assertTrue(r.json().get("error").asText().length() > 10, r.text());
        assertEquals("close", r.headers().get("connection"), request);
    }

    @Test
    void malformedRequestLinesAreJson400sThatNoHandlerSees() throws Exception {
        int port = start(SMALL);
        Map<String, byte[]> requests = new LinkedHashMap<>();
        for (String line : List.of("GET /echo?count=%zz HTTP/1.1", "GET /ec%zzho HTTP/1.1", "GET /echo?count=% HTTP/1.1", "GET /echo?count=%4 HTTP/1.1",
                "GET /ec ho HTTP/1.1", "GET  /echo HTTP/1.1", "GET /ec\tho HTTP/1.1", "GET /ec\u0001ho HTTP/1.1", "GET /echo?a=|b HTTP/1.1",
                "GET /echo?a=<script> HTTP/1.1", "GET /echo", "GET /echo HTTP/1.1 extra", "HELLO", "GET echo HTTP/1.1", "GET mailto:x HTTP/1.1",
                "GET /echo http/1.1", "GET /echo HTTP/one", "G(ET /echo HTTP/1.1")) {
            requests.put(line, (line + "\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        }
        requests.put("UTF-8 in the target", "GET /é HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.UTF_8));
        requests.put("Latin-1 byte in the target", "GET /\u00e9 HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        for (var request : requests.entrySet()) {
            try (RawHttp http = new RawHttp(port)) {
                RawHttp.Response r = http.send(request.getValue()).read();
                assertJsonError(400, r, request.getKey());
                assertTrue(r.json().get("error").asText().startsWith("malformed request"), request.getKey() + " -> " + r.text());
                assertTrue(http.closedByServer(), request.getKey());
            }
        }
        assertEquals("malformed request target: Malformed escape pair at index 12: /echo?count=%zz",
                RawHttp.get(port, "/echo?count=%zz").json().get("error").asText());
        assertEquals(0, handled.get(), "a malformed request reached the handler");
        assertEquals("GET /echo a=%20b%C3%A9 ", RawHttp.get(port, "/echo?a=%20b%C3%A9").text(), "valid escapes stay as sent");
        assertEquals("GET /echo a=1 ", RawHttp.get(port, "http://localhost/echo?a=1").text(), "absolute-form target");
    }

    @Test
    void malformedHeadersAndBodiesAreRefusedWithJson() throws Exception {
        int port = start(SMALL);
        Map<String, Integer> cases = new LinkedHashMap<>();
        cases.put("GET /echo HTTP/1.1\r\nHost: x\r\nNoColon\r\n\r\n", 400);
        cases.put("GET /echo HTTP/1.1\r\nHost: x\r\n: empty name\r\n\r\n", 400);
        cases.put("GET /echo HTTP/1.1\r\nHost: x\r\nBad Name: v\r\n\r\n", 400);
        cases.put("GET /echo HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n folded\r\n\r\n", 400);
        cases.put("GET /echo HTTP/1.1\r\nHost: x\r\nX-A: a\u0000b\r\n\r\n", 400);
        cases.put("GET /echo HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n", 400);
        cases.put("GET /echo HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", 400);
        cases.put("GET /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", 400);
        cases.put("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n0\r\n\r\n", 411);
        cases.put("GET /echo HTTP/2.0\r\nHost: x\r\n\r\n", 505);
        cases.put("GET /echo?" + "a".repeat(2000) + " HTTP/1.1\r\nHost: x\r\n\r\n", 414);
        cases.put("GET /echo HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(5000) + "\r\n\r\n", 431);
        cases.put("GET /echo HTTP/1.1\r\n" + "X-Many: 0123456789\r\n".repeat(300) + "\r\n", 431);
        for (var c : cases.entrySet()) {
            try (RawHttp http = new RawHttp(port)) {
                assertJsonError(c.getValue(), http.send(c.getKey()).read(), c.getKey().lines().findFirst().orElseThrow());
            }
        }
        assertEquals(0, handled.get());
        try (RawHttp http = new RawHttp(port)) {   // a megabyte of headers: the answer arrives, not a reset connection
            assertJsonError(431, http.send("GET /echo HTTP/1.1\r\nX-Big: " + "a".repeat(1 << 20) + "\r\n\r\n").read(), "a megabyte of headers");
        }
        try (RawHttp http = new RawHttp(port)) {   // just within the limits
            RawHttp.Response r = http.send("GET /echo?" + "a".repeat(1000) + " HTTP/1.1\r\nX-Big: " + "a".repeat(3000) + "\r\n\r\n").read();
            assertEquals(200, r.status());
        }
    }

    @Test
    void keepAliveAnswersSeveralRequestsOnOneConnection() throws Exception {
        int port = start(SMALL);
        try (RawHttp http = new RawHttp(port)) {
            http.send("GET /echo?n=1 HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttp.Response first = http.read();
            assertEquals("GET /echo n=1 ", first.text());
            assertEquals("yes", first.headers().get("x-echo"));
            assertNull(first.headers().get("connection"));
            assertTrue(first.headers().get("date").matches("[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT"), first.headers().get("date"));
            http.send("POST /echo?n=2 HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");
            assertEquals("POST /echo n=2 hello", http.read().text());
            // two requests in one write (pipelined), the last one closing the connection
            http.send("GET /echo?n=3 HTTP/1.1\r\nHost: x\r\n\r\nGET /echo?n=4 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertEquals("GET /echo n=3 ", http.read().text());
            RawHttp.Response last = http.read();
            assertEquals("GET /echo n=4 ", last.text());
            assertEquals("close", last.headers().get("connection"));
            assertTrue(http.closedByServer());
        }
        try (RawHttp http = new RawHttp(port)) {   // HTTP/1.0: one request per connection
            assertEquals("close", http.send("GET /echo HTTP/1.0\r\n\r\n").read().headers().get("connection"));
            assertTrue(http.closedByServer());
        }
        assertEquals(5, handled.get());
    }

    @Test
    void headDeclaresTheLengthAndSendsNoBody() throws Exception {
        int port = start(SMALL);
        try (RawHttp http = new RawHttp(port)) {
            RawHttp.Response head = http.send("HEAD /echo?q HTTP/1.1\r\nHost: x\r\n\r\n").head();
            assertEquals(200, head.status());
            assertEquals(Integer.toString("HEAD /echo q ".length()), head.headers().get("content-length"));
            // had a body been sent, this answer would start inside it
            assertEquals("GET /echo q ", http.send("GET /echo?q HTTP/1.1\r\nHost: x\r\n\r\n").read().text());
            RawHttp.Response stream = http.send("HEAD /stream HTTP/1.1\r\nHost: x\r\n\r\n").head();
            assertEquals("text/event-stream", stream.headers().get("content-type"));
            assertTrue(http.closedByServer(), "the answer to HEAD of a stream ends with its headers");
        }
        assertTrue(streamEnded.await(20, TimeUnit.SECONDS));
    }

    @Test
    void requestBodies() throws Exception {
        int port = start(SMALL);
        try (RawHttp http = new RawHttp(port)) {   // Expect: 100-continue gets its interim answer before the body is sent
            http.send("POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n");
            RawHttp.Response interim = http.head();
            assertEquals(100, interim.status());
            assertEquals("POST /echo null abc", http.send("abc").read().text());
        }
        try (RawHttp http = new RawHttp(port)) {   // a body the handler leaves unread ends the connection after the answer
            RawHttp.Response r = http.send("POST /ignore HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n" + "b".repeat(100_000)).read();
            assertEquals("ignored", r.text());
            assertEquals("close", r.headers().get("connection"));
            assertTrue(http.closedByServer());
        }
    }

    @Test
    void aClientThatSendsTooSlowlyIsAnswered408AndAnIdleOneIsClosed() throws Exception {
        int port = start(new HttpServer.Limits(1024, 4096, Duration.ofMillis(300), Duration.ofSeconds(20)));
        try (RawHttp http = new RawHttp(port)) {
            assertJsonError(408, http.send("GET /echo HTTP/1.1\r\nHost: x\r\n").read(), "half a request");
        }
        try (RawHttp http = new RawHttp(port)) {   // the deadline is for the whole request, however closely its bytes follow each other
            for (byte b : "GET /echo HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1)) {
                http.send(new byte[] {b});
                Thread.sleep(20);
            }
            assertJsonError(408, http.read(), "a trickle");
        } catch (IOException e) {
            throw new AssertionError("the trickling client got no 408", e);
        }
        try (RawHttp http = new RawHttp(port)) {
            assertTrue(http.closedByServer(), "an idle connection is closed without an answer");
        }
        try (RawHttp http = new RawHttp(port)) {
            assertEquals(200, http.send("GET /echo HTTP/1.1\r\nHost: x\r\n\r\n").read().status());
            assertTrue(http.closedByServer(), "idle after an answer: closed");
        }
        assertEquals(1, handled.get());
    }

    @Test
    void aClientThatStopsReadingIsCutOff() throws Exception {
        int port = start(new HttpServer.Limits(1024, 4096, Duration.ofSeconds(20), Duration.ofMillis(300)));
        try (RawHttp http = new RawHttp(port)) {
            http.send("GET /flood HTTP/1.1\r\nHost: x\r\n\r\n");   // and never read
            assertTrue(streamEnded.await(30, TimeUnit.SECONDS), "the write to a client that does not read never failed");
        }
    }

    @Test
    void streamsLastUntilTheServerCloses() throws Exception {
        int port = start(SMALL);
        try (RawHttp http = new RawHttp(port)) {
            RawHttp.Response head = http.send("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n").head();
            assertEquals(200, head.status());
            assertEquals("text/event-stream", head.headers().get("content-type"));
            assertNull(head.headers().get("content-length"), "a stream's end is the connection's");
            assertEquals("close", head.headers().get("connection"));
            for (int i = 0; i < 3; i++) {
                assertEquals("data: tick", http.readLine());
                assertEquals("", http.readLine());
            }
            server.close();
            assertTrue(streamEnded.await(20, TimeUnit.SECONDS), "the stream outlived the server");
        }
    }

    @Test
    void aFailingHandlerGetsA500() throws Exception {
        int port = start(SMALL);
        RawHttp.Response r = RawHttp.get(port, "/fail");
        assertJsonError(500, r, "/fail");
        assertTrue(r.json().get("error").asText().contains("broken handler"), r.text());
    }
}
