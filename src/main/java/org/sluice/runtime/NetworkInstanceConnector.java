package org.sluice.runtime;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.sluice.runtime.instance.InstanceProcess;
import org.sluice.runtime.instance.ProtocolEvent;
import org.sluice.runtime.instance.ProtocolEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reaches role instances that serve the instance protocol over the network (docs/runtime.md,
 * "The network transport"): it follows each one's event stream ({@code GET /protocol/events}) on
 * a reader thread of its own and posts the host's words ({@code suspend}, {@code resume},
 * {@code stop}), every request with the service's token.
 *
 * <p>When the stream breaks (the connection ends before the instance said it stopped, or nothing
 * comes for {@link Reconnect#silence()}), the connector opens it again, up to
 * {@link Reconnect#attempts()} times in a row with a growing pause. It says which run of the
 * instance it followed and the number of the last line it read ({@code ?run=RUN&after=N}), and the
 * instance replays every line after it, so the events of the break (an episode that ended then)
 * reach the listener late but in order and once. When the instance no longer keeps those lines, it
 * replays its state (ready, gate, last throttle and sample) instead, of which only what changed is
 * passed on, and the connector logs that events may have been missed. When the answer comes from
 * another run (the process was replaced meanwhile), the run followed has exited: the listener is
 * told {@code Exited(-1)} and nothing of the new run, which whatever started the instance follows
 * anew.
 * When no attempt succeeds, the listener is told a problem naming the instance and the reason,
 * then {@code Exited(-1)}.
 *
 * <p>Each followed instance has a virtual thread of its own, blocked on its socket while the
 * instance is quiet: hundreds of instances cost no more than hundreds of sockets.
 *
 * <p>{@link RoleInstance#kill()} cannot end a process on another machine: it asks the instance to
 * stop without waiting, stops following it, and reports it exited at once. Ending the process for
 * good (deleting its pod) is the job of whatever started it.
 */
public final class NetworkInstanceConnector implements InstanceConnector {
    private static final Logger LOG = LoggerFactory.getLogger(NetworkInstanceConnector.class);
    private static final AtomicInteger READERS = new AtomicInteger();
    private static final int MAX_HEADER_LINE = 8192;
    private static final int MAX_HEADERS = 100;
    /** The longest event line the host reads: far above any an instance writes (a sample is about 300 characters). */
    static final int MAX_LINE_CHARS = 1 << 20;
    /** How long the host waits for a command other than stop to be acted on. */
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);

    /**
     * How the connector follows a stream that breaks.
     *
     * @param attempts   how many times in a row it tries to open the stream again before it gives up
     * @param firstPause the pause before the first attempt; each next one is twice as long
     * @param maxPause   the longest pause between two attempts
     * @param silence    how long a stream may bring nothing before it counts as broken (an instance
     *                   samples itself every {@value InstanceProcess#SAMPLE_PERIOD_MS} ms)
     * @param connect    how long opening a connection may take
     */
    public record Reconnect(int attempts, Duration firstPause, Duration maxPause, Duration silence, Duration connect) {
        /** Five attempts within about 6 s; a stream silent for 10 s is broken. */
        public static final Reconnect DEFAULT = new Reconnect(5, Duration.ofMillis(200), Duration.ofSeconds(3),
                Duration.ofSeconds(10), Duration.ofSeconds(5));

        public Reconnect {
            if (attempts < 1) {
                throw new IllegalArgumentException("at least one attempt, not " + attempts);
            }
            Objects.requireNonNull(firstPause, "firstPause");
            Objects.requireNonNull(maxPause, "maxPause");
            Objects.requireNonNull(silence, "silence");
            Objects.requireNonNull(connect, "connect");
        }

        Duration pauseBefore(int attempt) {
            Duration pause = firstPause.multipliedBy(1L << Math.min(attempt - 1, 20));
            return pause.compareTo(maxPause) > 0 ? maxPause : pause;
        }
    }

    private final Reconnect reconnect;
    private final HttpClient client;

    /** A connector that follows broken streams as {@link Reconnect#DEFAULT} says. */
    public NetworkInstanceConnector() {
        this(Reconnect.DEFAULT);
    }

    public NetworkInstanceConnector(Reconnect reconnect) {
        this.reconnect = Objects.requireNonNull(reconnect, "reconnect");
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(reconnect.connect()).build();
    }

    /**
     * {@inheritDoc}
     *
     * <p>Opens the event stream before it returns, trying as often as a broken stream is tried
     * again: an instance whose pod has only just started may not listen yet.
     *
     * @throws IOException when no attempt reached the instance, or it refused the token
     */
    @Override
    public RoleInstance connect(String service, int index, InetSocketAddress address, String token, InstanceListener listener)
            throws IOException {
        Objects.requireNonNull(address, "address");
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("connecting to " + service + " instance " + index + " needs the service's token");
        }
        NetworkInstance instance = new NetworkInstance(service, index, address, token, listener);
        instance.begin();
        return instance;
    }

    /** The instance refused the token: trying again cannot help. */
    private static final class TokenRefused extends IOException {
        private static final long serialVersionUID = 1L;

        TokenRefused(String message) {
            super(message);
        }
    }

    /** One networked instance, and the thread that follows its events. */
    private final class NetworkInstance implements RoleInstance {
        private final String service;
        private final int index;
        private final InetSocketAddress address;
        private final String token;
        private final InstanceListener listener;
        private final InstanceEventDecoder decoder;
        private final CompletableFuture<Integer> ready = new CompletableFuture<>();
        private final CompletableFuture<Void> exited = new CompletableFuture<>();
        private final Set<CompletableFuture<Void>> pending = ConcurrentHashMap.newKeySet();
        /** Counted down by kill: ends a pause between attempts at once. */
        private final CountDownLatch killed = new CountDownLatch(1);
        private volatile Socket socket;
        private volatile int port = -1;
        private volatile boolean stopRequested;
        /** False from just before the listener is told the instance exited, as a child process is dead by then. */
        private volatile boolean alive = true;
        private String lastProblem;
        private boolean stopped;
        private ProtocolEvent lastThrottle;
        private ProtocolEvent lastSample;
        /** The run of the instance the stream came from; null before the first, or from an instance that numbers no lines. */
        private String run;
        /** The number of the last line read; 0 before any. */
        private long seen;
        /** Whether the stream now read replays the lines after {@link #seen} rather than the state. */
        private boolean resumed;
        /**
         * The run a stream that opened with the state came from. It becomes {@link #run} only once a
         * line after the state has been read: a stream that breaks within its state asks for the
         * state again rather than for the lines after it, which would leave the state unread.
         */
        private String stateRun;
        /** The number of the state's last line in such a stream ({@code Sluice-Seq}); lines after it are live. */
        private long stateUpTo;
        /** Lines of state still to read in such a stream ({@code Sluice-State-Lines}); -1 when the instance does not say. */
        private int stateLeft = -1;
        /**
         * The run of the process followed, as the last answer from it named it, whether or not its
         * state was all read; the host's words name it. Null before an answer named one.
         */
        private volatile String lastAnsweredRun;
        /** The run of the stream just opened, when it is another process than the one followed; null otherwise. */
        private String restartedAs;

        NetworkInstance(String service, int index, InetSocketAddress address, String token, InstanceListener listener) {
            this.service = service;
            this.index = index;
            this.address = address;
            this.token = token;
            this.listener = listener;
            // Messages go to the address the protocol was reached at: the instance serves both on one port.
            this.decoder = new InstanceEventDecoder(service, index, p -> address);
        }

        private String name() {
            return service + " instance " + index + " at " + address.getHostString() + ":" + address.getPort();
        }

        void begin() throws IOException {
            EventLines first = openWithRetries(Optional.empty());
            // A virtual thread: it spends its life blocked on the socket, and there may be hundreds.
            Thread.ofVirtual().name("sluice-instance-net-" + service + "-" + index + "-" + READERS.incrementAndGet())
                    .start(() -> follow(first));
        }

        /** Opens the stream, trying up to the limit; {@code broke} is why the last one ended, if one did. */
        private EventLines openWithRetries(Optional<String> broke) throws IOException {
            IOException last = null;
            for (int attempt = 1; attempt <= reconnect.attempts(); attempt++) {
                // The first connection is tried at once; one that broke, after a pause.
                if ((attempt > 1 || broke.isPresent()) && pause(reconnect.pauseBefore(attempt))) {
                    throw new IOException("no longer followed");
                }
                try {
                    return open();
                } catch (TokenRefused e) {
                    throw e;
                } catch (IOException e) {
                    last = e;
                    LOG.warn("{}: cannot follow its events (attempt {} of {}): {}", name(), attempt,
                            reconnect.attempts(), e.toString());
                }
            }
            throw new IOException("cannot follow the events of " + name() + broke.map(b -> " after " + b).orElse("")
                    + ": " + reconnect.attempts() + " attempts to connect" + (broke.isPresent() ? " again" : "")
                    + " failed, the last with " + last + "; check that it runs and that its port is reachable from the host",
                    last);
        }

        /** Waits {@code pause}, or less if the instance is killed meanwhile; true if it was. */
        private boolean pause(Duration pause) {
            try {
                return killed.await(pause.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return true;
            }
        }

        private EventLines open() throws IOException {
            Socket s = new Socket();
            try {
                s.connect(address, (int) reconnect.connect().toMillis());
                s.setSoTimeout((int) reconnect.silence().toMillis());
                boolean resuming = run != null;
                String target = "/protocol/events" + (resuming
                        ? "?run=" + URLEncoder.encode(run, StandardCharsets.UTF_8) + "&after=" + seen : "");
                s.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: "
                        + InstanceAddresses.hostHeader(address) + "\r\nAuthorization: Bearer " + token
                        + "\r\nAccept: application/x-ndjson\r\n\r\n").getBytes(StandardCharsets.UTF_8));
                s.getOutputStream().flush();
                InputStream in = new BufferedInputStream(s.getInputStream(), 8192);
                int status = status(readLine(in));
                boolean chunked = false;
                String answeredRun = null;
                String resume = null;
                String before = null;
                String stateLines = null;
                for (int i = 0; ; i++) {
                    String header = readLine(in);
                    if (header.isEmpty()) {
                        break;
                    }
                    if (i >= MAX_HEADERS) {
                        throw new IOException("more than " + MAX_HEADERS + " headers");
                    }
                    String lower = header.toLowerCase(Locale.ROOT);
                    if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                        chunked = true;
                    } else if (lower.startsWith("sluice-run:")) {
                        answeredRun = value(header);
                    } else if (lower.startsWith("sluice-resume:")) {
                        resume = value(header);
                    } else if (lower.startsWith("sluice-seq:")) {
                        before = value(header);
                    } else if (lower.startsWith("sluice-state-lines:")) {
                        stateLines = value(header);
                    }
                }
                if (status == 401) {
                    throw new TokenRefused(name() + " refused the service's token (401): the host and the instance"
                            + " must be given the same token");
                }
                if (status != 200) {
                    throw new IOException("its event stream was answered " + status);
                }
                if (!chunked) {
                    throw new IOException("its event stream came without chunked encoding");
                }
                socket = s;
                if (killed.getCount() == 0) {
                    s.close();
                }
                begun(resuming, answeredRun, resume, before, stateLines);
                return new EventLines(new InputStreamReader(new ChunkedInput(in), StandardCharsets.UTF_8), MAX_LINE_CHARS);
            } catch (IOException | RuntimeException e) {
                s.close();
                throw e;
            }
        }

        /**
         * Takes in how a stream that opened begins: after the lines already read, or with the
         * state, in which case a stream followed again may have missed events, said once.
         */
        private void begun(boolean resuming, String answeredRun, String resume, String before, String stateLines) {
            String named = answeredRun == null || answeredRun.isBlank() ? null : answeredRun;
            String earlier = lastAnsweredRun;
            // Another run is another process: the one followed has ended, whatever this stream says
            // (a stream cut within its state asks without a run, so the names are compared too).
            // Its name is not taken: a word sent meanwhile still names the run that ended, and is refused.
            if ((resuming && "other-run".equals(resume)) || (named != null && earlier != null && !named.equals(earlier))) {
                restartedAs = named == null ? "(unnamed)" : named;
                return;
            }
            lastAnsweredRun = named;
            resumed = resuming && "resumed".equals(resume);
            if (resumed) {
                return;
            }
            if (resuming) {
                LOG.warn("{}: events may have been missed while its event stream was broken: {}; it sent its state instead",
                        name(), resume == null ? "it cannot replay them"
                                : "it no longer keeps the lines after number " + seen);
            } else if (seen > 0 || lastThrottle != null || lastSample != null || port > 0) {
                LOG.warn("{}: events may have been missed while its event stream was broken: it does not number"
                        + " its events (an earlier Sluice); it sent its state instead", name());
            }
            stateRun = named;
            stateUpTo = 0;
            if (before != null) {
                try {
                    stateUpTo = Math.max(0, Long.parseLong(before));
                } catch (NumberFormatException e) {
                    LOG.warn("{}: its event stream gave '{}' as its last number; it will send its state if followed again",
                            name(), before);
                    stateRun = null;
                }
            }
            stateLeft = -1;
            if (stateLines != null) {
                try {
                    stateLeft = Integer.parseInt(stateLines.strip());
                } catch (NumberFormatException e) {
                    stateLeft = -1; // unknown: the first line after the state tells instead
                }
            }
            if (stateLeft == 0) {
                stateRead();
            }
        }

        /** The whole state of the stream now read is in: a break from here on is followed again after its lines. */
        private void stateRead() {
            run = stateRun;
            seen = stateUpTo;
            resumed = true;
            stateLeft = -1;
        }

        private void follow(EventLines first) {
            EventLines stream = first;
            while (true) {
                String broke;
                try (EventLines lines = stream) {
                    for (String line; (line = lines.readLine()) != null; ) {
                        handle(line);
                    }
                    broke = "its event stream ended";
                } catch (IOException e) {
                    broke = "its event stream broke (" + e + ")";
                }
                if (killed.getCount() == 0) {
                    finish(-1, "it was killed before it was ready");
                    return;
                }
                if (stopped) {
                    finish(0, "it stopped before it was ready");
                    return;
                }
                if (port < 0 && lastProblem != null) {
                    finish(InstanceProcess.START_FAILED, lastProblem);
                    return;
                }
                LOG.warn("{}: {}; following it again", name(), broke);
                try {
                    stream = openWithRetries(Optional.of(broke));
                    if (restartedAs != null) {
                        stream.close();
                        restarted();
                        return;
                    }
                } catch (IOException e) {
                    String reason = e.getMessage();
                    if (killed.getCount() == 0) {
                        finish(-1, "it was killed before it was ready");
                    } else {
                        LOG.error("{}", reason);
                        decoder.deliver(listener, new InstanceEvent.Problem(reason));
                        lastProblem = reason;
                        finish(-1, reason);
                    }
                    return;
                }
            }
        }

        /**
         * The process followed was replaced while its stream was broken (a container restarted in
         * its pod): it has exited. Nothing of the new process is passed on as the old one's, so it
         * is never taken for ready with a gate the host did not set; whatever started the instance
         * follows the new one as a new instance (the Kubernetes engine does, once it is ready).
         */
        private void restarted() {
            LOG.warn("{}: it restarted while its event stream was broken (its run is now {}): the run followed has"
                    + " exited, and events of its last moments may have been missed", name(), restartedAs);
            finish(-1, "it restarted before it was ready");
        }

        private void handle(String line) {
            Optional<ProtocolEvents.Numbered> parsed = decoder.parseNumbered(line);
            if (parsed.isEmpty()) {
                return;
            }
            ProtocolEvent wire = parsed.get().event();
            if (parsed.get().number().isPresent()) {
                long number = parsed.get().number().getAsLong();
                if (resumed) {
                    if (number <= seen) {
                        return; // already read before the break
                    }
                    seen = number;
                } else if (number > stateUpTo) {
                    // The first line after the state (whose lines keep their older numbers): from
                    // here on a broken stream is followed again after the last line read.
                    stateRead();
                    seen = number;
                } else if (stateLeft > 0 && --stateLeft == 0) {
                    stateRead();
                }
            }
            switch (wire) {
                case ProtocolEvent.Ready r -> {
                    if (port > 0) {
                        return; // replayed after a reconnect
                    }
                    port = address.getPort();
                }
                case ProtocolEvent.Throttle t -> {
                    if (t.equals(lastThrottle)) {
                        return;
                    }
                    lastThrottle = t;
                }
                case ProtocolEvent.Sampled s -> {
                    if (s.equals(lastSample)) {
                        return;
                    }
                    lastSample = s;
                }
                case ProtocolEvent.Problem p -> {
                    if (port < 0 && p.message().equals(lastProblem)) {
                        return;
                    }
                    lastProblem = p.message();
                }
                case ProtocolEvent.Stopped s -> stopped = true;
                default -> {
                    // Gate: the answers to suspend and resume confirm them; episodes pass on as they come.
                }
            }
            decoder.decode(wire).ifPresent(event -> decoder.deliver(listener, event));
            if (wire instanceof ProtocolEvent.Ready) {
                ready.complete(address.getPort());
            }
        }

        private void finish(int status, String reasonIfNotReady) {
            if (!ready.isDone()) {
                ready.completeExceptionally(new IOException(reasonIfNotReady));
            }
            // Not alive before the commands still waiting fail: a stop that fails because the
            // instance has ended its stream (it may answer stop after it) is no failure to report.
            alive = false;
            IOException gone = new IOException(name() + " is no longer followed");
            pending.forEach(p -> p.completeExceptionally(gone));
            decoder.deliver(listener, new InstanceEvent.Exited(status, stopRequested));
            exited.complete(null);
        }

        private CompletableFuture<Void> command(String word, Duration timeout) {
            CompletableFuture<Void> acted = new CompletableFuture<>();
            if (!alive) {
                acted.completeExceptionally(new IOException(name() + " is not running"));
                return acted;
            }
            pending.add(acted);
            String followed = lastAnsweredRun;
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + InstanceAddresses.hostHeader(address)
                            + "/protocol/" + word + (followed == null ? "" : "?run=" + URLEncoder.encode(followed, StandardCharsets.UTF_8))))
                    .header("Authorization", "Bearer " + token)
                    .timeout(timeout)
                    .POST(HttpRequest.BodyPublishers.noBody()).build();
            client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, failure) -> {
                pending.remove(acted);
                if (failure != null) {
                    acted.completeExceptionally(new IOException(name() + " did not take '" + word + "': " + failure, failure));
                } else if (response.statusCode() == 204) {
                    acted.complete(null);
                } else if (response.statusCode() == 401) {
                    acted.completeExceptionally(new IOException(name() + " refused the service's token for '" + word + "'"));
                } else {
                    acted.completeExceptionally(new IOException(name() + " answered '" + word + "' with "
                            + response.statusCode() + ": " + response.body()));
                }
            });
            return acted;
        }

        @Override
        public int index() {
            return index;
        }

        @Override
        public CompletableFuture<Integer> ready() {
            return ready;
        }

        @Override
        public OptionalInt port() {
            return port > 0 ? OptionalInt.of(port) : OptionalInt.empty();
        }

        @Override
        public Optional<InetSocketAddress> address() {
            return port > 0 ? Optional.of(address) : Optional.empty();
        }

        @Override
        public CompletableFuture<Void> suspend() {
            return command("suspend", COMMAND_TIMEOUT);
        }

        @Override
        public CompletableFuture<Void> resume() {
            return command("resume", COMMAND_TIMEOUT);
        }

        @Override
        public CompletableFuture<Void> stop() {
            stopRequested = true;
            command("stop", Duration.ofMillis(InstanceProcess.STOP_WAIT_MS).plus(COMMAND_TIMEOUT)).whenComplete((ok, failure) -> {
                if (failure != null && alive) {
                    LOG.warn("{}", failure.getMessage());
                }
            });
            return exited;
        }

        @Override
        public void kill() {
            stopRequested = true;
            if (!alive) {
                return;
            }
            command("stop", COMMAND_TIMEOUT).whenComplete((ok, failure) -> {
                if (failure != null) {
                    LOG.debug("{}: stop after kill not taken: {}", name(), failure.toString());
                }
            });
            killed.countDown();
            Socket s = socket;
            if (s != null) {
                try {
                    s.close();
                } catch (IOException e) {
                    LOG.debug("{}: closing its event stream: {}", name(), e.toString());
                }
            }
        }

        @Override
        public boolean isAlive() {
            return alive;
        }
    }

    /** The value of a header line, {@code Name: value}. */
    private static String value(String header) {
        return header.substring(header.indexOf(':') + 1).strip();
    }

    private static int status(String statusLine) throws IOException {
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("not an HTTP answer: " + statusLine);
        }
        try {
            return Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IOException("not an HTTP status: " + statusLine, e);
        }
    }

    /** One line of an answer's head, without its CRLF. */
    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) {
                throw new EOFException("the answer ended in its head");
            }
            if (line.length() >= MAX_HEADER_LINE) {
                throw new IOException("a line of the answer's head is over " + MAX_HEADER_LINE + " characters");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    /**
     * A chunked body: ends (-1) at its last, empty chunk; a connection that ends before it is an
     * {@link EOFException}, so a stream cut off is never mistaken for one the instance ended.
     */
    static final class ChunkedInput extends InputStream {
        private final InputStream in;
        private long left;
        private boolean done;

        ChunkedInput(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (done) {
                return -1;
            }
            if (length == 0) {
                return 0;
            }
            if (left == 0) {
                String size = readLine(in);
                int extension = size.indexOf(';');
                try {
                    left = Long.parseLong((extension >= 0 ? size.substring(0, extension) : size).strip(), 16);
                } catch (NumberFormatException e) {
                    throw new IOException("not a chunk size: " + size, e);
                }
                if (left == 0) {
                    while (!readLine(in).isEmpty()) {
                        // trailers, unused
                    }
                    done = true;
                    return -1;
                }
            }
            int n = in.read(buffer, offset, (int) Math.min(length, left));
            if (n < 0) {
                throw new EOFException("the event stream was cut off inside a chunk");
            }
            left -= n;
            if (left == 0 && !readLine(in).isEmpty()) {
                throw new IOException("a chunk did not end with CRLF");
            }
            return n;
        }
    }

    /**
     * The lines of an event stream, each at most a given number of characters: an instance (or
     * whoever holds its token) that sends a line without end makes the stream break, not the host
     * hold it. A line ends at a newline, a carriage return before it left out; the last may have none.
     */
    static final class EventLines extends java.io.Reader {
        private final java.io.Reader in;
        private final int maxChars;
        private final char[] buffer = new char[8192];
        private int next;
        private int end;

        EventLines(java.io.Reader in, int maxChars) {
            this.in = in;
            this.maxChars = maxChars;
        }

        /** The next line, or null at the end of the stream. */
        String readLine() throws IOException {
            StringBuilder line = null;
            while (true) {
                if (next == end) {
                    end = in.read(buffer, 0, buffer.length);
                    next = 0;
                    if (end <= 0) {
                        end = 0;
                        return line == null ? null : line.toString();
                    }
                }
                int start = next;
                while (next < end && buffer[next] != '\n') {
                    next++;
                }
                int length = (line == null ? 0 : line.length()) + next - start;
                if (length > maxChars + 1) {
                    // One over the limit may be a carriage return before the newline.
                    throw tooLong();
                }
                if (line == null) {
                    line = new StringBuilder(Math.min(length + 16, maxChars + 1));
                }
                line.append(buffer, start, next - start);
                if (next < end) {
                    next++; // the newline
                    int last = line.length() - 1;
                    if (last >= 0 && line.charAt(last) == '\r') {
                        line.setLength(last);
                    }
                    if (line.length() > maxChars) {
                        throw tooLong();
                    }
                    return line.toString();
                }
            }
        }

        private IOException tooLong() {
            return new IOException("an event line longer than " + maxChars + " characters");
        }

        @Override
        public int read(char[] into, int offset, int length) throws IOException {
            throw new UnsupportedOperationException("an event stream is read a line at a time");
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
