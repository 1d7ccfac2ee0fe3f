package io.streamingworkshop.pipeline.app;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The dashboard's web server, on 127.0.0.1 only: the page, its script and style, Chart.js from its
 * WebJar on the classpath, the latest snapshot as JSON ({@code /api/snapshot}) and a stream of
 * snapshots as server-sent events ({@code /events}). The JDK's own HTTP server: nothing that could
 * clash with the Jetty inside Spark.
 */
final class Dashboard implements AutoCloseable {

    private static final String PAGE_DIR = "pipeline-dashboard/";
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml");

    private final HttpServer server;
    private final ExecutorService threads;
    private final Object changed = new Object();
    private volatile String latest = "{}";
    private volatile long sequence;
    private volatile boolean closing;

    private Dashboard(HttpServer server, ExecutorService threads) {
        this.server = server;
        this.threads = threads;
    }

    /** Binds the port (refused in one line when it is taken) and starts serving. */
    static Dashboard start(int port) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        } catch (BindException e) {
            throw new UsageException("port " + port + " on 127.0.0.1 is in use: choose another with --port N"
                    + " (or --port 0 for any free one)");
        } catch (IOException e) {
            throw new UsageException("cannot serve the dashboard on port " + port + ": " + e.getMessage());
        }
        // One thread per open page: a server-sent event stream holds its thread while the page is open.
        ExecutorService threads = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "dashboard-http");
            thread.setDaemon(true);
            return thread;
        });
        Dashboard dashboard = new Dashboard(server, threads);
        server.setExecutor(threads);
        server.createContext("/", dashboard::staticFile);
        server.createContext("/vendor/chart.umd.js", dashboard::chartJs);
        server.createContext("/api/snapshot", dashboard::snapshot);
        server.createContext("/events", dashboard::events);
        server.start();
        return dashboard;
    }

    int port() {
        return server.getAddress().getPort();
    }

    String url() {
        return "http://127.0.0.1:" + port() + "/";
    }

    /** Publishes a new snapshot to every open page. */
    void publish(String snapshotJson) {
        synchronized (changed) {
            latest = snapshotJson;
            sequence++;
            changed.notifyAll();
        }
    }

    private void staticFile(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String name = path.equals("/") ? "index.html" : path.substring(1);
        if (!name.matches("[a-z0-9-]+\\.(html|js|css|svg)")) {
            send(exchange, 404, "text/plain; charset=utf-8", "not found".getBytes(StandardCharsets.UTF_8));
            return;
        }
        serveResource(exchange, PAGE_DIR + name, TYPES.get(name.substring(name.lastIndexOf('.') + 1)));
    }

    private void chartJs(HttpExchange exchange) throws IOException {
        serveResource(
                exchange,
                "META-INF/resources/webjars/chart.js/" + chartJsVersion() + "/dist/chart.umd.js",
                TYPES.get("js"));
    }

    /** The version of the Chart.js WebJar on the classpath, from its Maven metadata: the pom pins it, once. */
    static String chartJsVersion() {
        try (InputStream in = resource("META-INF/maven/org.webjars.npm/chart.js/pom.properties")) {
            if (in == null) {
                throw new IllegalStateException(
                        "the Chart.js WebJar (org.webjars.npm:chart.js) is not on the classpath");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void serveResource(HttpExchange exchange, String resource, String type) throws IOException {
        try (InputStream in = resource(resource)) {
            if (in == null) {
                send(
                        exchange,
                        404,
                        "text/plain; charset=utf-8",
                        ("not found: " + resource).getBytes(StandardCharsets.UTF_8));
                return;
            }
            send(exchange, 200, type, in.readAllBytes());
        }
    }

    private void snapshot(HttpExchange exchange) throws IOException {
        send(exchange, 200, "application/json", latest.getBytes(StandardCharsets.UTF_8));
    }

    /** Server-sent events: the latest snapshot at once, then each new one, until the page closes. */
    private void events(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream body = exchange.getResponseBody()) {
            long seen = -1;
            while (!closing) {
                String data;
                synchronized (changed) {
                    while (sequence == seen && !closing) {
                        changed.wait(15_000);
                        if (sequence == seen) {
                            break; // a comment line below keeps idle connections open
                        }
                    }
                    data = sequence == seen ? null : latest;
                    seen = sequence;
                }
                String message = data == null ? ": idle\n\n" : "event: snapshot\ndata: " + data + "\n\n";
                body.write(message.getBytes(StandardCharsets.UTF_8));
                body.flush();
            }
        } catch (IOException closedByThePage) {
            // The page went away: nothing to do.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static InputStream resource(String name) {
        return Dashboard.class.getClassLoader().getResourceAsStream(name);
    }

    @Override
    public void close() {
        closing = true;
        synchronized (changed) {
            changed.notifyAll();
        }
        server.stop(0);
        threads.shutdownNow();
        try {
            threads.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
