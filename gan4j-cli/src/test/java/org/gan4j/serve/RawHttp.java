package org.gan4j.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** HTTP/1.1 spoken byte for byte over one connection, for requests that no client library would send. */
final class RawHttp implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One answer: status, headers (names in lower case) and body. */
    record Response(int status, Map<String, String> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** The body as JSON, after checking that the answer says it is JSON. */
        JsonNode json() throws IOException {
            if (!"application/json".equals(headers.get("content-type"))) throw new AssertionError("not JSON: " + headers + " " + text());
            return JSON.readTree(body);
        }
    }

    private final Socket socket;
    private final InputStream in;

    RawHttp(int port) throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(30_000);
        in = socket.getInputStream();
    }

    /** Sends the text as it is, each character one byte (ISO-8859-1). */
    RawHttp send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    RawHttp send(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
        return this;
    }

    /** Reads one answer's status and headers, leaving its body unread (all of a HEAD answer, or the start of a stream). */
    Response head() throws IOException {
        String[] status = readLine().split(" ", 3);
        Map<String, String> headers = new HashMap<>();
        for (String h; !(h = readLine()).isEmpty(); ) {
            int colon = h.indexOf(':');
            headers.put(h.substring(0, colon).toLowerCase(Locale.ROOT), h.substring(colon + 1).strip());
        }
        return new Response(Integer.parseInt(status[1]), headers, new byte[0]);
    }

    /** Reads one answer; its body is Content-Length bytes, or everything up to the close. */
    Response read() throws IOException {
        Response head = head();
        String length = head.headers().get("content-length");
        return new Response(head.status(), head.headers(), length != null ? in.readNBytes(Integer.parseInt(length)) : in.readAllBytes());
    }

    /** Whether the server has closed the connection (no byte more comes). */
    boolean closedByServer() throws IOException {
        return in.read() < 0;
    }

    /** One GET of {@code target} on a connection of its own, exactly as written. */
    static Response get(int port, String target) throws IOException {
        try (RawHttp http = new RawHttp(port)) {
            return http.send("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").read();
        }
    }

    /** One line, without its CR LF. */
    String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) throw new IOException("connection closed after " + line.size() + " bytes of a line: " + line);
            line.write(b);
        }
        String s = line.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
