package org.gan4j.serve;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP/1.1 server under the dashboard and the sample service: one virtual thread per
 * connection, keep-alive, HEAD, request bodies of a declared Content-Length, and limits on the
 * request line, the header section, the time a request may take to arrive and the time one write
 * may wait for a client that does not read. A request it cannot parse (a bad percent-escape, a
 * space or control character in the target, an over-long line) never reaches a handler: it is
 * answered here with a JSON error, {"error": ...}.
 */
final class HttpServer implements AutoCloseable {

    /** Answers one request; an IOException means the client is gone and ends its connection. */
    interface Handler {
        void handle(Exchange ex) throws IOException;
    }

    /**
     * @param maxLineBytes   longest request line (414 beyond) and longest header line
     * @param maxHeaderBytes largest header section (431 beyond)
     * @param requestTimeout longest a request may take to arrive (408), and an idle connection stays open
     * @param writeTimeout   longest one write of an answer may wait for the client to read
     */
    record Limits(int maxLineBytes, int maxHeaderBytes, Duration requestTimeout, Duration writeTimeout) {
        static Limits defaults() {
            return new Limits(8 << 10, 64 << 10, Duration.ofSeconds(30), Duration.ofSeconds(120));
        }
    }

    /** Most of a request body left unread that is taken in (and dropped) before closing, so the client reads the answer instead of a reset. */
    private static final int MAX_DRAIN_BYTES = 1 << 20;
    private static final Duration DRAIN_TIME = Duration.ofSeconds(2);
    /** Closes the connections whose writes block too long. */
    private static final ScheduledExecutorService WATCHDOG = watchdog();

    private final ServerSocket listener;
    private final Limits limits;
    private final Handler handler;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();

    private HttpServer(ServerSocket listener, Limits limits, Handler handler) {
        this.listener = listener;
        this.limits = limits;
        this.handler = handler;
    }

    /** Listens on host:port (port 0 picks a free one) and serves every connection with {@code handler}. */
    static HttpServer start(String host, int port, Limits limits, Handler handler) throws IOException {
        ServerSocket listener = new ServerSocket();
        try {
            listener.bind(new InetSocketAddress(host, port), 1024);
        } catch (IOException | RuntimeException e) {
            listener.close();
            throw e;
        }
        HttpServer server = new HttpServer(listener, limits, handler);
        Thread.ofVirtual().name("http-accept-" + listener.getLocalPort()).start(server::accept);
        return server;
    }

    InetSocketAddress address() {
        return (InetSocketAddress) listener.getLocalSocketAddress();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket socket = listener.accept();
                connections.add(socket);   // before its thread starts, so that close() finds it
                Thread.ofVirtual().start(() -> serve(socket));
            } catch (IOException e) {
                // closed by close(), or a connection that failed while being accepted
            }
        }
    }

    /** Answers the requests of one connection in turn until either side ends it. */
    private void serve(Socket socket) {
        try (socket) {
            socket.setTcpNoDelay(true);
            ClientInput in = new ClientInput(socket);
            OutputStream out = new BufferedOutputStream(new TimedOutput(socket, limits.writeTimeout()), 16 << 10);
            boolean open = true;
            while (open) {
                in.deadline(limits.requestTimeout());
                Exchange ex;
                try {
                    ex = Exchange.read(in, out, limits);
                } catch (Exchange.Refusal r) {
                    Exchange.refuse(out, r.status, r.getMessage());
                    break;
                }
                if (ex == null) return;   // the client closed the connection or left it idle
                try {
                    handler.handle(ex);
                } catch (RuntimeException e) {
                    if (!ex.answered()) ex.sendError(500, "internal error: " + e);
                    break;
                }
                if (!ex.answered()) ex.sendError(500, "internal error: no answer");
                open = ex.keepsConnection();
            }
            socket.shutdownOutput();   // the answer is out; take in what the client still sends, then close
            in.deadline(DRAIN_TIME);
            in.skip(MAX_DRAIN_BYTES);
        } catch (IOException e) {
            // the client went away or was too slow: nothing left to tell it
        } finally {
            connections.remove(socket);
        }
    }

    /** Stops listening and closes every connection (open event streams end at their next write). */
    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException e) {
            // closing anyway
        }
        for (Socket s : connections) closeQuietly(s);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    private static ScheduledExecutorService watchdog() {
        var timer = new ScheduledThreadPoolExecutor(1, r -> Thread.ofPlatform().daemon().name("http-write-watchdog").unstarted(r));
        timer.setRemoveOnCancelPolicy(true);
        return Executors.unconfigurableScheduledExecutorService(timer);
    }

    /**
     * What a client sends, buffered, each read bounded by a deadline: a client that sends a
     * request too slowly gets a SocketTimeoutException however it spaces its bytes.
     */
    static final class ClientInput extends InputStream {
        private final Socket socket;
        private final InputStream in;
        private final byte[] buf = new byte[8 << 10];
        private int pos, end;
        private long deadlineNanos, consumed;

        ClientInput(Socket socket) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
        }

        void deadline(Duration fromNow) {
            deadlineNanos = System.nanoTime() + fromNow.toNanos();
            consumed = 0;
        }

        /** Bytes read since the deadline was last set. */
        long consumed() {
            return consumed;
        }

        private boolean fill() throws IOException {
            long millis = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
            if (millis <= 0) throw new SocketTimeoutException("deadline passed");
            socket.setSoTimeout((int) Math.min(millis, Integer.MAX_VALUE));
            int n = in.read(buf, 0, buf.length);
            if (n < 0) return false;
            pos = 0;
            end = n;
            return true;
        }

        @Override
        public int read() throws IOException {
            if (pos == end && !fill()) return -1;
            consumed++;
            return buf[pos++] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) return 0;
            if (pos == end && !fill()) return -1;
            int n = Math.min(len, end - pos);
            System.arraycopy(buf, pos, b, off, n);
            pos += n;
            consumed += n;
            return n;
        }

        @Override
        public int available() {
            return end - pos;
        }
    }

    /** The socket's output; a write that blocks longer than the timeout (a client that stopped reading) closes the socket. */
    private static final class TimedOutput extends OutputStream {
        private final Socket socket;
        private final OutputStream out;
        private final long timeoutMillis;

        TimedOutput(Socket socket, Duration timeout) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
            this.timeoutMillis = timeout.toMillis();
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            ScheduledFuture<?> alarm = WATCHDOG.schedule(() -> closeQuietly(socket), timeoutMillis, TimeUnit.MILLISECONDS);
            try {
                out.write(b, off, len);
            } finally {
                alarm.cancel(false);
            }
        }
    }
}
