package org.gan4j.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One HTTP request and its answer. The request: method, target (a URI whose raw parts are still
 * percent-encoded), headers (names in lower case) and body. The answer: a whole body at once
 * ({@link #send}), or a stream that lasts until the connection closes ({@link #stream}, for
 * Server-Sent Events). A request that does not parse is a {@link Refusal}, answered with
 * {@code {"error": ...}}.
 */
final class Exchange {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Pattern VERSION = Pattern.compile("HTTP/\\d\\.\\d");
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH);

    /** A request answered by the server itself, before any handler: its status and why. */
    static final class Refusal extends RuntimeException {
        final int status;

        Refusal(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    private final String method;
    private final URI uri;
    private final Map<String, String> headers;
    private final Body body;
    private final OutputStream out;
    private final Map<String, String> answerHeaders = new LinkedHashMap<>();
    private boolean keepAlive, answered;

    private Exchange(String method, URI uri, Map<String, String> headers, Body body, OutputStream out, boolean keepAlive) {
        this.method = method;
        this.uri = uri;
        this.headers = headers;
        this.body = body;
        this.out = out;
        this.keepAlive = keepAlive;
    }

    String method() {
        return method;
    }

    URI uri() {
        return uri;
    }

    /** A request header's value (several of the same name joined by ", "), or null. */
    String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** The request body: exactly the bytes its Content-Length declared. */
    InputStream body() {
        return body;
    }

    /**
     * Reads the next request from a connection: null when the client closed it or left it idle
     * past its deadline; a Refusal when the request is malformed, too large or too slow; an
     * IOException when the connection failed or ended inside a request.
     */
    static Exchange read(HttpServer.ClientInput in, OutputStream out, HttpServer.Limits limits) throws IOException {
        try {
            String line;
            do line = line(in, limits.maxLineBytes());
            while (line != null && line.isEmpty());   // blank lines before a request are allowed
            if (line == null) throw new Refusal(414, "request line longer than " + limits.maxLineBytes() + " bytes");
            String[] parts = line.split(" ", -1);
            if (parts.length != 3 || !TOKEN.matcher(parts[0]).matches() || !VERSION.matcher(parts[2]).matches()) {
                throw new Refusal(400, "malformed request line: want METHOD TARGET HTTP/1.1, separated by single spaces");
            }
            boolean http11 = parts[2].equals("HTTP/1.1");
            if (!http11 && !parts[2].equals("HTTP/1.0")) throw new Refusal(505, "HTTP version " + parts[2] + " not supported; use HTTP/1.1");
            URI uri = target(parts[1]);
            Map<String, String> headers = headers(in, limits.maxHeaderBytes());
            if (headers.containsKey("transfer-encoding")) throw new Refusal(411, "a request body needs a Content-Length (chunked request bodies are not accepted)");
            String declared = headers.getOrDefault("content-length", "0");
            if (!declared.matches("\\d{1,18}")) throw new Refusal(400, "malformed Content-Length '" + declared + "'");
            long length = Long.parseLong(declared);
            if (length > 0 && http11 && "100-continue".equalsIgnoreCase(headers.get("expect"))) {
                out.write(CONTINUE);
                out.flush();
            }
            boolean close = Arrays.stream(headers.getOrDefault("connection", "").split(",")).anyMatch(t -> t.strip().equalsIgnoreCase("close"));
            return new Exchange(parts[0], uri, headers, new Body(in, length), out, http11 && !close);
        } catch (EOFException e) {
            if (in.consumed() == 0) return null;   // the client closed the connection between requests
            throw e;
        } catch (SocketTimeoutException e) {
            if (in.consumed() == 0) return null;   // idle past the deadline
            throw new Refusal(408, "request not received whole within " + limits.requestTimeout().toMillis() + " ms");
        }
    }

    /** The header lines up to the blank one, names in lower case; several of one name joined by ", ". */
    private static Map<String, String> headers(InputStream in, int maxBytes) throws IOException {
        Map<String, String> headers = new HashMap<>();
        for (int bytes = 0; ; ) {
            String h = line(in, maxBytes - bytes);
            if (h == null) throw new Refusal(431, "request headers larger than " + maxBytes + " bytes");
            if (h.isEmpty()) return headers;
            bytes += h.length() + 2;
            int colon = h.indexOf(':');
            if (colon < 1 || !TOKEN.matcher(h.substring(0, colon)).matches()) throw new Refusal(400, "malformed header line: want Name: value");
            String name = h.substring(0, colon), value = h.substring(colon + 1).strip();
            if (value.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f)) throw new Refusal(400, "control character in header " + name);
            headers.merge(name.toLowerCase(Locale.ROOT), value, (a, b) -> a + ", " + b);
        }
    }

    /** The request target: a path (or an absolute http URI) of visible ASCII with valid percent-escapes. */
    private static URI target(String target) {
        if (target.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
            throw new Refusal(400, "malformed request target: only visible ASCII characters may appear in it (percent-encode the others)");
        }
        URI uri;
        try {
            uri = new URI(target);
        } catch (URISyntaxException e) {
            throw new Refusal(400, "malformed request target: " + e.getMessage());
        }
        if (uri.isOpaque() || !uri.getRawPath().startsWith("/")) throw new Refusal(400, "malformed request target: must be a path starting with /");
        return uri;
    }

    /** One line without its CR LF (a bare LF also ends it), bytes as ISO-8859-1 characters; null when longer than {@code max} bytes. */
    private static String line(InputStream in, int max) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) throw new EOFException("connection closed inside a request");
            if (line.length() >= max) return null;
            line.append((char) b);
        }
        int end = line.length() - (!line.isEmpty() && line.charAt(line.length() - 1) == '\r' ? 1 : 0);
        return line.substring(0, end);
    }

    /** Sets a header of the answer; call before {@link #send} or {@link #stream}. */
    void answerHeader(String name, String value) {
        answerHeaders.put(name, value);
    }

    boolean answered() {
        return answered;
    }

    /** Whether the connection may carry another request once this answer is out. */
    boolean keepsConnection() {
        return keepAlive;
    }

    /** Answers with {@code body} (sent unless the request was HEAD; its length always declared). */
    void send(int status, String type, byte[] body) throws IOException {
        head(status, type, body.length);
        if (!method.equals("HEAD")) out.write(body);
        out.flush();
    }

    /** Answers with {@code {"error": message}} and ends the connection. */
    void sendError(int status, String message) throws IOException {
        keepAlive = false;
        send(status, "application/json", errorBody(message));
    }

    /** Answers with a body written as it comes, until the connection closes; for HEAD, a stream whose writes fail. */
    OutputStream stream(int status, String type) throws IOException {
        keepAlive = false;
        head(status, type, -1);
        out.flush();
        if (!method.equals("HEAD")) return out;
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("the answer to HEAD has no body");
            }
        };
    }

    /** Answers a request that never became an Exchange, and ends the connection. */
    static void refuse(OutputStream out, int status, String message) throws IOException {
        new Exchange("GET", null, Map.of(), new Body(InputStream.nullInputStream(), 0), out, false).sendError(status, message);
    }

    private void head(int status, String type, long length) throws IOException {
        if (answered) throw new IllegalStateException("answered twice");
        answered = true;
        if (body.left > 0) keepAlive = false;   // the unread rest of the body would be taken for the next request
        StringBuilder h = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
        h.append("Date: ").append(HTTP_DATE.format(ZonedDateTime.now(ZoneOffset.UTC))).append("\r\n");
        h.append("Content-Type: ").append(type).append("\r\n");
        answerHeaders.forEach((name, value) -> h.append(name).append(": ").append(value).append("\r\n"));
        if (length >= 0) h.append("Content-Length: ").append(length).append("\r\n");
        if (!keepAlive) h.append("Connection: close\r\n");
        out.write(h.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    static byte[] errorBody(String message) {
        try {
            return JSON.writeValueAsBytes(Map.of("error", message));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 411 -> "Length Required";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            case 505 -> "HTTP Version Not Supported";
            default -> "";
        };
    }

    /** The request body: the next {@code left} bytes of the connection. */
    private static final class Body extends InputStream {
        private final InputStream in;
        private long left;

        Body(InputStream in, long length) {
            this.in = in;
            this.left = length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left == 0) return -1;
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) throw new EOFException("connection closed inside the request body");
            left -= n;
            return n;
        }
    }
}
