package org.sluice.runtime;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;

/**
 * An HTTP destination on loopback that takes each message and holds its answer until the test
 * releases it, so the messages stay in process in the role instance. It remembers every body it
 * received, in order of arrival.
 */
public final class HeldDestination implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService threads;
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<String> received = new ArrayList<>();
    private final List<Awaited> awaited = new ArrayList<>();

    private record Awaited(int count, CompletableFuture<Void> arrived) {
    }

    /** @param threads the most messages it can hold at once */
    public HeldDestination(int threads) throws IOException {
        this.threads = Executors.newFixedThreadPool(threads);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        server.createContext("/in", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            List<CompletableFuture<Void>> arrived = new ArrayList<>();
            synchronized (received) {
                received.add(body);
                received.notifyAll();
                awaited.removeIf(a -> a.count() <= received.size() && arrived.add(a.arrived()));
            }
            arrived.forEach(a -> a.complete(null));
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.setExecutor(this.threads);
        server.start();
    }

    /** The URL role instances deliver to. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/in";
    }

    /** Answers every held message and, from now on, every new one at once. */
    public void release() {
        release.countDown();
    }

    /** Every body received so far. */
    public List<String> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    /** Completes once at least {@code count} messages have arrived. */
    CompletableFuture<Void> whenReceived(int count) {
        synchronized (received) {
            if (received.size() >= count) {
                return CompletableFuture.completedFuture(null);
            }
            Awaited waiting = new Awaited(count, new CompletableFuture<>());
            awaited.add(waiting);
            return waiting.arrived();
        }
    }

    /**
     * Waits until at least {@code count} messages have arrived.
     *
     * @return whether they did within the timeout
     */
    public boolean awaitReceived(int count, long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        synchronized (received) {
            while (received.size() < count) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return false;
                }
                received.wait(left);
            }
        }
        return true;
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        threads.shutdownNow();
    }
}
