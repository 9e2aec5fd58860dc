package org.sluice.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.sluice.lifecycle.ServiceDefinition;
import org.sluice.runtime.instance.LoopbackHttpServer;
import org.sluice.runtime.instance.MessageBody;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's front door on loopback: {@code POST /services/{name}/messages} is forwarded to the
 * service's next role instance, round-robin, and the instance's answer is passed back unchanged
 * (including 503 {@code Server is busy. Please try again.} with its {@code Retry-After}).
 *
 * <p>The door itself answers 403 to a request from a web page (one with an {@code Origin} header),
 * 404 for an unknown service, 409 for a service that is not Active, 413 for a body over
 * {@value #MAX_MESSAGE_BYTES} bytes and 503 when no instance is running.
 *
 * <p>It also has a slow partner for the demonstration services: {@code POST /demo/slow-partner}
 * takes a message and answers 204 after {@link #SLOW_PARTNER_DELAY}, as a partner system would that
 * cannot keep up. A service delivering there holds its messages in process that long, so test
 * traffic makes its instance throttle.
 */
public final class FrontDoor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FrontDoor.class);
    /** The largest message the door accepts, as the instances do. */
    public static final int MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
    /** Where the slow partner takes messages. */
    public static final String SLOW_PARTNER_PATH = "/demo/slow-partner";
    /**
     * How long the slow partner takes over each message. At 100 messages a second or more, a
     * one-core instance delivering there has its 100 messages in process and throttles.
     */
    public static final Duration SLOW_PARTNER_DELAY = Duration.ofSeconds(1);
    private static final Pattern PATH = Pattern.compile("/services/([^/]+)/messages/?");

    private final Host host;
    private final HttpServer server;
    private final InstanceConnections instances = new InstanceConnections(Duration.ofSeconds(5), Duration.ofMinutes(2));
    private final ExecutorService workers;
    /** Guards {@link #inFlight} and {@link #closing}; waited on while the door drains. */
    private final Object drain = new Object();
    /** Messages forwarded and not yet answered, by the address of the instance that has each. */
    private final Map<InetSocketAddress, Integer> inFlight = new HashMap<>();
    private boolean closing;

    private FrontDoor(Host host, HttpServer server, ExecutorService workers) {
        this.host = host;
        this.server = server;
        this.workers = workers;
    }

    /** Opens the door on 127.0.0.1:{@code port} (0 for any free port). */
    public static FrontDoor open(Host host, int port) throws IOException {
        return open(host, new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    }

    /**
     * Opens the door at {@code at}: loopback on a desk, every address of a pod in a cluster, where
     * the cluster's Service is what reaches it (port 0 for any free port).
     */
    public static FrontDoor open(Host host, InetSocketAddress at) throws IOException {
        HttpServer server = LoopbackHttpServer.create(at, 256);
        ExecutorService workers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("sluice-front-door-", 1).factory());
        FrontDoor door = new FrontDoor(host, server, workers);
        server.createContext("/services/", door::handle);
        server.createContext(SLOW_PARTNER_PATH, FrontDoor::slowPartner);
        server.setExecutor(workers);
        server.start();
        LOG.info("Front door open on http://{}:{}/services/", server.getAddress().getHostString(), server.getAddress().getPort());
        return door;
    }

    /** The port the door listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The address of the slow partner, a destination for a demonstration service. */
    public String slowPartner() {
        return base() + SLOW_PARTNER_PATH;
    }

    /** The address that receives messages for {@code service}. */
    public String endpoint(String service) {
        return base() + "/services/" + service + "/messages";
    }

    /**
     * {@code http://HOST:PORT} of the door as this machine reaches it: loopback when the door
     * listens on every address, else the one address it listens on.
     */
    String base() {
        InetAddress listening = server.getAddress().getAddress();
        String host = listening.isAnyLocalAddress() ? "127.0.0.1"
                : listening instanceof Inet6Address ? "[" + listening.getHostAddress() + "]" : listening.getHostAddress();
        return "http://" + host + ":" + port();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Matcher matcher = PATH.matcher(exchange.getRequestURI().getPath());
            if (!matcher.matches()) {
                answer(exchange, 404, "Not found; messages go to POST /services/{name}/messages");
                return;
            }
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().add("Allow", "POST");
                answer(exchange, 405, "Use POST");
                return;
            }
            // The body is read before any answer: a connection closed on an unread body can be
            // reset before the client reads the answer.
            byte[] body = MessageBody.readLimited(exchange.getRequestBody(), MAX_MESSAGE_BYTES);
            if (exchange.getRequestHeaders().containsKey("Origin")) {
                // A web page in a browser on this machine could otherwise post into every service.
                answer(exchange, 403, "Requests from web pages are refused; send messages from a program, not a browser");
                return;
            }
            String name = matcher.group(1);
            Host.Route route = host.route(name);
            if (route instanceof Host.Route.Unknown) {
                // A name that cannot be a service's is not repeated: it may be 100 KB of anything.
                answer(exchange, 404, ServiceDefinition.isValidName(name) ? "No service named '" + name + "'"
                        : "No such service: a service's name is 1 to 63 lower-case letters, digits or hyphens");
                return;
            }
            if (route instanceof Host.Route.NotActive notActive) {
                answer(exchange, 409, "Service '" + name + "' is " + notActive.state().chartName()
                        + "; it processes messages only while Active");
                return;
            }
            if (!(route instanceof Host.Route.To to)) {
                answer(exchange, 503, "Service '" + name + "' has no running role instance");
                return;
            }
            if (body == null) {
                answer(exchange, 413, "A message may be at most " + MAX_MESSAGE_BYTES + " bytes");
                return;
            }
            forward(exchange, name, to, body);
        }
    }

    private void forward(HttpExchange exchange, String name, Host.Route.To to, byte[] body) throws IOException {
        boolean refused;
        synchronized (drain) {
            refused = closing;
            if (!refused) {
                inFlight.merge(to.address(), 1, Integer::sum);
            }
        }
        if (refused) {
            // Answered outside the lock: a slow sender must not hold up every other message.
            exchange.getResponseHeaders().set("Retry-After", "5");
            answer(exchange, 503, "The host is stopping; send the message again once it is back");
            return;
        }
        try {
            forwardNow(exchange, name, to, body);
        } finally {
            synchronized (drain) {
                inFlight.computeIfPresent(to.address(), (address, count) -> count == 1 ? null : count - 1);
                drain.notifyAll();
            }
        }
    }

    private void forwardNow(HttpExchange exchange, String name, Host.Route.To to, byte[] body) throws IOException {
        InstanceConnections.Answer response;
        try {
            response = instances.post(to.address(), body);
        } catch (IOException e) {
            LOG.warn("{} instance {} did not answer: {}", name, to.instance(), e.toString());
            answer(exchange, 502, "Role instance " + to.instance() + " of '" + name + "' did not answer: " + e.getMessage());
            return;
        }
        response.retryAfter().ifPresent(v -> exchange.getResponseHeaders().set("Retry-After", v));
        response.contentType().ifPresent(v -> exchange.getResponseHeaders().set("Content-Type", v));
        byte[] answer = response.body();
        exchange.sendResponseHeaders(response.status(), answer.length == 0 ? -1 : answer.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer);
        }
    }

    /** Takes the message, waits, then answers 204; on a virtual thread of its own, like every request. */
    private static void slowPartner(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().add("Allow", "POST");
                answer(exchange, 405, "Use POST");
                return;
            }
            byte[] body = MessageBody.readLimited(exchange.getRequestBody(), MAX_MESSAGE_BYTES);
            if (exchange.getRequestHeaders().containsKey("Origin")) {
                answer(exchange, 403, "Requests from web pages are refused; send messages from a program, not a browser");
                return;
            }
            if (body == null) {
                answer(exchange, 413, "A message may be at most " + MAX_MESSAGE_BYTES + " bytes");
                return;
            }
            try {
                Thread.sleep(SLOW_PARTNER_DELAY);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                answer(exchange, 503, "The host is stopping; send the message again once it is back");
                return;
            }
            exchange.sendResponseHeaders(204, -1);
        }
    }

    private static void answer(HttpExchange exchange, int status, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /**
     * Stops the door without breaking a promise to a sender: it takes no new message (a sender
     * is told 503, the host is stopping), and waits up to {@code drainTime} for the messages it has
     * forwarded to be answered. Those still out then are ended by {@code endInstancesAt}, which is
     * given the addresses of the instances that have them and must return once those have exited, so
     * that none of them can deliver a message after its sender is told it failed.
     */
    public void close(Duration drainTime, Consumer<Set<InetSocketAddress>> endInstancesAt) {
        refuseNew();
        Set<InetSocketAddress> left = awaitDrained(drainTime);
        if (!left.isEmpty()) {
            LOG.warn("Messages to the instances at {} were not answered within {} s; those instances are ended",
                    left, drainTime.toSeconds());
            endInstancesAt.accept(left);
            awaitDrained(Duration.ofSeconds(5));
        }
        close();
    }

    /** From now on a new message is told 503, the host is stopping; the messages forwarded already go on. */
    public void refuseNew() {
        synchronized (drain) {
            closing = true;
        }
    }

    /** Whether the door has begun to close and takes no new message. */
    boolean closing() {
        synchronized (drain) {
            return closing;
        }
    }

    /** Waits until every forwarded message is answered, or {@code limit}; returns the addresses of those left. */
    private Set<InetSocketAddress> awaitDrained(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        synchronized (drain) {
            while (!inFlight.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(drain, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            return Set.copyOf(inFlight.keySet());
        }
    }

    /** Closes at once: connections still waiting for an answer are cut. {@link #close(Duration, Consumer)} drains first. */
    @Override
    public void close() {
        server.stop(0);
        instances.close();
        workers.shutdown();
        try {
            if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            workers.shutdownNow();
        }
    }
}
