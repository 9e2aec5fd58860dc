package org.sluice.runtime;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.sluice.lifecycle.OperationRecord;
import org.sluice.runtime.http.HttpTurns;
import org.sluice.runtime.instance.LoopbackHttpServer;
import org.sluice.throttle.Thresholds;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's front door: {@code POST /services/{name}/messages} is forwarded to the service's next
 * role instance, round-robin, and the instance's answer is passed back unchanged (status,
 * {@code Content-Type}, {@code Retry-After} and body; including 503 {@code Server is busy. Please
 * try again.}).
 *
 * <p>The door itself answers, in this order of checks, 404 for a path outside
 * {@code /services/{name}/messages}, 405 to anything but {@code POST}, then (once the body is read)
 * 403 to a request from a web page (one with an {@code Origin} header), 404 for an unknown service,
 * 409 for a service that is not Active, 503 when no instance is running, 413 for a body over
 * {@value #MAX_MESSAGE_BYTES} bytes, 503 with {@code Retry-After: 5} while it closes, and 502
 * naming the instance when that does not answer. A request that is not well-formed HTTP/1.1 is
 * answered 400 (431 for a header over {@value HttpTurns#MAX_HEADER_BYTES} bytes) and its
 * connection closed; a request must arrive whole within {@link LoopbackHttpServer#REQUEST_SECONDS}
 * s, as an instance's must (the same system property shortens it), or its connection is closed;
 * and the door takes as many connections at once as an instance does, closing any more at once.
 *
 * <p>It is a reverse proxy on a few event loops (Netty; docs/decisions/0034-front-door-on-netty.md):
 * the loop that reads a request also sends it to the instance on a connection it keeps and writes
 * the answer back, so a message costs no thread hand-off, and a sender that stalls or never reads its
 * answers costs a few KiB, not a thread. Each connection takes one request at a time: the next one,
 * pipelined or not, is read once the answer before it has been written out.
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
    /**
     * The system property that sets how many event loops the door runs (a positive whole number);
     * by default, or when it is anything else, one per processor.
     */
    static final String LOOPS = "sluice.door.loops";

    private final Host host;
    private final DoorTransport transport;
    private final EventLoopGroup loops;
    private final InstanceLinks instances;
    /** Connections open now. */
    private final AtomicInteger connections = new AtomicInteger();
    /** Set once, when the door is bound; before that no connection reaches the door. */
    private Channel listening;
    /** Guards {@link #inFlight} and {@link #closing}; waited on while the door drains. */
    private final Object drain = new Object();
    /** Messages forwarded and not yet answered, by the address of the instance that has each. */
    private final Map<InetSocketAddress, Integer> inFlight = new HashMap<>();
    private boolean closing;
    /** Lets the kept connections to an instance go once it exits or its service is deleted. */
    private final AddressesGone addressesGone = new AddressesGone();

    private FrontDoor(Host host, DoorTransport transport, EventLoopGroup loops, InstanceLinks instances) {
        this.host = host;
        this.transport = transport;
        this.loops = loops;
        this.instances = instances;
    }

    /**
     * Follows where each instance takes messages, from its Ready, and has the door forget an
     * address once its instance exited, moved to another address, or its service was deleted: an
     * instance started again on another port would otherwise leave an entry on every loop behind.
     * Called on the host's event thread.
     */
    private final class AddressesGone implements HostListener {
        /** The address each instance took messages at when it was last ready, by service and index. */
        private final Map<String, Map<Integer, InetSocketAddress>> ready = new HashMap<>();

        @Override
        public synchronized void instanceEvent(String service, InstanceView instance, InstanceEvent event) {
            if (event instanceof InstanceEvent.Ready r) {
                InetSocketAddress before = ready.computeIfAbsent(service, s -> new HashMap<>()).put(instance.index(), r.address());
                if (before != null && !before.equals(r.address())) {
                    instances.forget(before);
                }
            } else if (event instanceof InstanceEvent.Exited) {
                Map<Integer, InetSocketAddress> of = ready.get(service);
                InetSocketAddress gone = of == null ? null : of.remove(instance.index());
                if (gone != null) {
                    instances.forget(gone);
                }
            }
        }

        @Override
        public synchronized void serviceRemoved(String name) {
            Map<Integer, InetSocketAddress> of = ready.remove(name);
            if (of != null) {
                of.values().forEach(instances::forget);
            }
        }

        @Override
        public void serviceChanged(ServiceView service) {
        }

        @Override
        public void operationProgress(OperationRecord record) {
        }
    }

    /** The instance addresses the door's loops keep anything for now, after what they were doing. For tests. */
    Set<InetSocketAddress> keptAddresses() throws InterruptedException, java.util.concurrent.ExecutionException {
        Set<InetSocketAddress> kept = new java.util.HashSet<>();
        for (io.netty.util.concurrent.EventExecutor loop : loops) {
            kept.addAll(loop.submit(() -> instances.addressesOf((io.netty.channel.EventLoop) loop)).get());
        }
        return kept;
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
        // As many as an instance's server takes (LoopbackHttpServer): 20 x the high concurrency threshold.
        return open(host, at, (int) (20 * Thresholds.concurrencyHigh(Runtime.getRuntime().availableProcessors())));
    }

    /**
     * Whether a bind failed because the address is taken: the JDK's sockets say so with a
     * {@link java.net.BindException}, Netty's epoll sockets with Linux's error number (EADDRINUSE, 98).
     */
    private static boolean inUse(Throwable cause) {
        return cause instanceof java.net.BindException
                || cause instanceof io.netty.channel.unix.Errors.NativeIoException nativeCause && nativeCause.expectedErr() == -98;
    }

    /**
     * Opens the door at {@code at}, taking at most {@code maxConnections} connections at once; one
     * more is closed as soon as it is accepted, so that a flood of connections costs a file
     * descriptor each for a moment, not a connection's state for as long as its sender likes.
     */
    static FrontDoor open(Host host, InetSocketAddress at, int maxConnections) throws IOException {
        DoorTransport transport = DoorTransport.choose();
        // As many loops as processors unless told otherwise: each does a whole message, from its request to its answer.
        EventLoopGroup loops = transport.loops(loopsWanted(),
                new DefaultThreadFactory("sluice-front-door", true));
        InstanceLinks instances = new InstanceLinks(transport, Duration.ofSeconds(5), Duration.ofMinutes(2));
        Duration requestTime = Duration.ofSeconds(Integer.getInteger(LoopbackHttpServer.MAX_REQUEST_TIME, LoopbackHttpServer.REQUEST_SECONDS));
        FrontDoor door = new FrontDoor(host, transport, loops, instances);
        ChannelFuture bound = HttpTurns.server(loops, transport.serverChannel(), 256, door.connections, maxConnections,
                        () -> new DoorConnection(door, requestTime))
                .childOption(ChannelOption.ALLOCATOR, DoorTransport.allocator())
                .bind(at).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            loops.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly();
            Throwable cause = bound.cause();
            if (inUse(cause)) {
                java.net.BindException taken = new java.net.BindException("The front door cannot listen on "
                        + at.getAddress().getHostAddress() + ":" + at.getPort() + ": another program uses that port");
                taken.initCause(cause);
                throw taken;
            }
            throw cause instanceof IOException io ? io : new IOException("the front door cannot listen on " + at + ": " + cause, cause);
        }
        door.listening = bound.channel();
        host.addListener(door.addressesGone);
        LOG.info("Front door open on http://{}:{}/services/", door.address().getHostString(), door.port());
        LOG.info("Front door transport: {}, {} buffers, {} loops", transport, DoorTransport.buffers(), door.loopCount());
        return door;
    }

    /** The number of loops {@link #LOOPS} asks for, if it is a positive whole number; else one per processor. */
    private static int loopsWanted() {
        String asked = System.getProperty(LOOPS, "").trim();
        try {
            int wanted = Integer.parseInt(asked);
            if (wanted > 0) {
                return wanted;
            }
        } catch (NumberFormatException notANumber) {
            // One per processor, as when not set.
        }
        if (!asked.isEmpty()) {
            LOG.warn("{}={} is not a positive whole number; the door runs one loop per processor", LOOPS, asked);
        }
        return Runtime.getRuntime().availableProcessors();
    }

    /** How many event loops the door runs. */
    int loopCount() {
        int count = 0;
        for (io.netty.util.concurrent.EventExecutor ignored : loops) {
            count++;
        }
        return count;
    }

    /** How the door's loops reach the network: epoll or NIO, and why. */
    DoorTransport transport() {
        return transport;
    }

    private InetSocketAddress address() {
        return (InetSocketAddress) listening.localAddress();
    }

    /** The port the door listens on. */
    public int port() {
        return address().getPort();
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
        InetAddress listeningOn = address().getAddress();
        String host = listeningOn.isAnyLocalAddress() ? "127.0.0.1"
                : listeningOn instanceof Inet6Address ? "[" + listeningOn.getHostAddress() + "]" : listeningOn.getHostAddress();
        return "http://" + host + ":" + port();
    }

    Host host() {
        return host;
    }

    InstanceLinks instances() {
        return instances;
    }

    /**
     * Counts a message to {@code address} as in flight, unless the door is closing.
     *
     * @return whether it may go; when not, the sender is to be told the host is stopping
     */
    boolean admit(InetSocketAddress address) {
        synchronized (drain) {
            if (closing) {
                return false;
            }
            inFlight.merge(address, 1, Integer::sum);
            return true;
        }
    }

    /** A message {@link #admit admitted} for {@code address} has its instance's answer, or failure, handed to its sender's connection. */
    void settled(InetSocketAddress address) {
        synchronized (drain) {
            inFlight.computeIfPresent(address, (a, count) -> count == 1 ? null : count - 1);
            drain.notifyAll();
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
        host.removeListener(addressesGone);
        listening.close().awaitUninterruptibly();
        // Closes every connection, the door's and the kept ones to instances, and cancels the slow partner's waits.
        loops.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
