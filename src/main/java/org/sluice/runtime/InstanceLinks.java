package org.sluice.runtime;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;

import org.sluice.runtime.http.LoopDeadline;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.MessageAggregationException;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpContentException;
import io.netty.util.ReferenceCountUtil;

/**
 * The front door's kept connections to role instances, driven by the door's own event loops: a
 * message that arrived on a loop goes out on a connection of that loop, and the instance's answer
 * comes back on it, so that no message changes threads on its way through the door.
 *
 * <p>Each loop keeps its own idle connections per instance address (newest first, at most
 * {@value #MAX_KEPT}); only that loop touches them, so they need no lock. An address's entry
 * counts its open connections and goes with the last of them, or when the door {@link #forget}s
 * the address (its instance exited). Connections idle for
 * longer than {@link #MAX_IDLE} are closed rather than reused, well before the instance's server
 * drops them (30 s). A kept connection that turns out to be closed when reused (the instance
 * restarted, say) gives way to a new one once, if not a byte of the answer had come; any other
 * failure is the caller's to report. Bytes that come after an answer, in its read or later, close
 * the connection instead of waiting to be read with the next answer.
 */
final class InstanceLinks {
    /** Connections unused for longer are closed rather than reused. */
    static final Duration MAX_IDLE = Duration.ofSeconds(20);
    /** The most idle connections a loop keeps per instance. */
    static final int MAX_KEPT = 256;
    /**
     * The longest answer taken from an instance: its answers are a few hundred bytes of JSON or
     * text, but one that repeats a message must still fit.
     */
    static final int MAX_ANSWER_BYTES = FrontDoor.MAX_MESSAGE_BYTES + 64 * 1024;
    /**
     * The longest body copied in behind its head, as Netty's HTTP encoder copies one (a few small
     * ones into one write); a longer one goes out from where it is, in the same write as its head.
     */
    static final int COPY_BODY_BYTES = 128;
    /** The most pieces an answer's body is gathered from before they are copied together, as in Netty's aggregator. */
    private static final int MAX_PIECES = 1024;
    private static final int CRLF_CRLF = ('\r' << 24) | ('\n' << 16) | ('\r' << 8) | '\n';

    /** An instance's answer; its body is the receiver's to release. */
    record Answer(int status, ByteBuf body, String contentType, String retryAfter) {
    }

    /** Where an answer goes; called on the loop the message was posted from. */
    interface Reply {
        void answered(Answer answer);

        void failed(IOException cause);
    }

    private final DoorTransport transport;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final Map<EventLoop, Map<InetSocketAddress, Kept>> idle = new ConcurrentHashMap<>();

    /**
     * What one loop keeps for one instance address: its idle connections, and how many of its
     * connections are open, idle or carrying a message. The entry goes with the last of them, so
     * that an instance that moved (restarted on another port, say) leaves nothing behind.
     */
    private static final class Kept {
        final ArrayDeque<Link> idle = new ArrayDeque<>();
        int open;
        /** The address was forgotten: a connection still carrying a message is closed once answered, not kept. */
        boolean forgotten;
    }

    /**
     * @param transport      the transport of the loops that post: its connections must be of it
     * @param connectTimeout how long a new connection may take
     * @param readTimeout    how long an instance may take to answer a message
     */
    InstanceLinks(DoorTransport transport, Duration connectTimeout, Duration readTimeout) {
        this.transport = transport;
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
    }

    /**
     * Posts {@code body} to the instance at {@code address}; must be called on {@code loop}. Takes
     * over one reference to {@code body}.
     */
    void post(EventLoop loop, InetSocketAddress address, ByteBuf body, Reply reply) {
        Link kept = take(loop, address);
        if (kept != null) {
            kept.send(body, reply, true);
        } else {
            connect(loop, address, body, reply);
        }
    }

    private Link take(EventLoop loop, InetSocketAddress address) {
        Kept kept = keptOf(loop).get(address);
        if (kept == null) {
            return null;
        }
        long now = System.nanoTime();
        for (Link link; (link = kept.idle.pollFirst()) != null; ) {
            if (now - link.idleSince < MAX_IDLE.toNanos() && link.channel.isActive()) {
                return link;
            }
            link.channel.close();
        }
        return null;
    }

    /** The addresses {@code loop} keeps anything for; must be called on {@code loop}. For tests. */
    Set<InetSocketAddress> addressesOf(EventLoop loop) {
        return Set.copyOf(keptOf(loop).keySet());
    }

    /**
     * Forgets the instance address {@code address} on every loop (its instance exited, or its
     * service is gone): its idle connections are closed and its entries dropped; a connection that
     * carries a message is closed once answered. Returns at once; each loop does its part.
     */
    void forget(InetSocketAddress address) {
        idle.forEach((loop, kept) -> {
            try {
                loop.execute(() -> {
                    Kept gone = kept.remove(address);
                    if (gone != null) {
                        gone.forgotten = true;
                        for (Link link; (link = gone.idle.pollFirst()) != null; ) {
                            link.channel.close();
                        }
                    }
                });
            } catch (RejectedExecutionException closing) {
                // The door is closing: its loops close every connection.
            }
        });
    }

    private Map<InetSocketAddress, Kept> keptOf(EventLoop loop) {
        return idle.computeIfAbsent(loop, l -> new HashMap<>());
    }

    private void give(Link link) {
        Kept kept = link.kept;
        if (kept.forgotten) {
            link.channel.close();
            return;
        }
        link.idleSince = System.nanoTime();
        // Newest first: the connections in use stay warm and the surplus ages out at the back.
        kept.idle.offerFirst(link);
        if (kept.idle.size() > MAX_KEPT) {
            kept.idle.pollLast().channel.close();
        }
    }

    /** A connection opened: it counts for its address until it closes. On its loop. */
    private void opened(Link link) {
        Kept kept = keptOf(link.loop()).computeIfAbsent(link.address, a -> new Kept());
        kept.open++;
        link.kept = kept;
        link.channel.closeFuture().addListener(closed -> closed(link));
    }

    /** A connection closed; the last of its address's takes the address's entry with it. On its loop. */
    private void closed(Link link) {
        if (link.timeout != null) {
            link.timeout.cancel();
        }
        Kept kept = link.kept;
        kept.idle.remove(link);
        if (--kept.open == 0) {
            keptOf(link.loop()).remove(link.address, kept);
        }
    }

    private void connect(EventLoop loop, InetSocketAddress address, ByteBuf body, Reply reply) {
        Link link = new Link(address);
        ChannelFuture connecting = new Bootstrap().group(loop).channel(transport.channel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.ALLOCATOR, DoorTransport.allocator())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(link.arrival, link.new AnswerDecoder(), link);
                    }
                })
                .connect(address);
        link.channel = connecting.channel();
        connecting.addListener(done -> {
            if (done.isSuccess()) {
                opened(link);
                link.send(body, reply, false);
            } else {
                body.release();
                reply.failed(asIOException(done.cause()));
            }
        });
    }

    private static IOException asIOException(Throwable cause) {
        return cause instanceof IOException io ? io : new IOException(cause.getMessage() == null ? cause.toString() : cause.getMessage(), cause);
    }

    /** One kept connection to an instance, with the one message it carries at a time. */
    private final class Link extends ChannelInboundHandlerAdapter {
        final InetSocketAddress address;
        /**
         * Notes that a byte of the answer came, before HTTP is decoded: from then on it is no stale
         * connection. A byte that comes while no message is out closes the connection.
         */
        final ChannelInboundHandlerAdapter arrival = new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (!droppedAsStray(ctx, msg)) {
                    answering = true;
                    ctx.fireChannelRead(msg);
                }
            }
        };
        /**
         * Decodes the instance's answers, and notes bytes left over once an answer is whole: they
         * came in the same read as it, so no stray-byte guard sees them, and a part of a head too
         * short to be decoded would stay in the decoder, to be read with the next answer. The
         * connection is then closed instead of kept.
         */
        final class AnswerDecoder extends HttpResponseDecoder {
            @Override
            protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
                int before = out.size();
                super.decode(ctx, buffer, out);
                if (out.size() > before && out.getLast() instanceof LastHttpContent && buffer.isReadable()) {
                    leftover = true;
                }
            }
        }

        /**
         * Drops what came while no message is out, and the connection with it: left in the decoder,
         * it would be read as the next message's answer. Says whether it did.
         */
        private boolean droppedAsStray(ChannelHandlerContext ctx, Object msg) {
            if (reply != null) {
                return false;
            }
            ReferenceCountUtil.release(msg);
            ctx.close();
            return true;
        }

        Channel channel;
        /** Its address's entry on its loop, from the moment it is connected. */
        Kept kept;
        long idleSince;
        /** The message out, kept until its answer is in: a stale connection sends it again on a new one. */
        ByteBuf body;
        Reply reply;
        boolean reused;
        boolean answering;
        /** Bytes came after the answer to the message out, in the same read: the connection is not kept. */
        boolean leftover;
        /** The head of the answer coming, once it is in, and its body so far. */
        HttpResponse answerHead;
        ByteBuf answerBody;
        /** When the answer to the message out is due; moves with each message, without a timer task each time. */
        LoopDeadline timeout;
        /**
         * The head of each message up to its length, the same for all of them: the bytes Netty's
         * request encoder wrote for it, without a request object and header map each time.
         */
        final byte[] head;

        Link(InetSocketAddress address) {
            this.address = address;
            this.head = ("POST /messages HTTP/1.1\r\n" + HttpHeaderNames.HOST + ": " + InstanceAddresses.hostHeader(address) + "\r\n"
                    + HttpHeaderNames.CONTENT_LENGTH + ": ").getBytes(StandardCharsets.US_ASCII);
        }

        EventLoop loop() {
            return channel.eventLoop();
        }

        void send(ByteBuf message, Reply to, boolean kept) {
            body = message;
            reply = to;
            reused = kept;
            answering = false;
            leftover = false;
            ByteBuf request = request(message);
            if (timeout == null) {
                timeout = new LoopDeadline(loop(), () -> fail(new IOException("no answer within " + readTimeout.toSeconds() + " s"), false));
            }
            timeout.set(readTimeout);
            channel.writeAndFlush(request).addListener(written -> {
                if (!written.isSuccess()) {
                    // A kept connection the instance had closed: the message never reached it.
                    fail(asIOException(written.cause()), true);
                }
            });
        }

        /**
         * The message as HTTP: its head, then its body, copied into one buffer as Netty's encoder
         * does up to {@value #COPY_BODY_BYTES} bytes, else sent from where it is.
         */
        private ByteBuf request(ByteBuf message) {
            int length = message.readableBytes();
            String digits = Integer.toString(length);
            int headBytes = head.length + digits.length() + 4;
            if (length > COPY_BODY_BYTES) {
                ByteBuf request = channel.alloc().buffer(headBytes);
                writeHead(request, digits);
                return Unpooled.wrappedBuffer(request, message.retainedDuplicate());
            }
            ByteBuf request = channel.alloc().buffer(headBytes + length);
            writeHead(request, digits);
            request.writeBytes(message, message.readerIndex(), length);
            return request;
        }

        private void writeHead(ByteBuf request, String length) {
            request.writeBytes(head);
            request.writeCharSequence(length, StandardCharsets.US_ASCII);
            request.writeInt(CRLF_CRLF);
        }

        /**
         * Gathers the answer from its head and the pieces of its body, as Netty's aggregator did
         * (with its limit, {@link #MAX_ANSWER_BYTES}, and its failures), without a composite buffer
         * for a body in one piece, the usual case. A part that comes while no message is out (in
         * the same read as the answer before it, say) closes the connection, as a stray byte does.
         */
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (reply == null) {
                    // An answer no message is waiting for: the connection is out of step and not to be reused.
                    ctx.close();
                    return;
                }
                if (msg instanceof HttpResponse started) {
                    begin(ctx, started);
                }
                if (msg instanceof HttpContent piece && answerHead != null) {
                    gather(ctx, piece);
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        private void begin(ChannelHandlerContext ctx, HttpResponse started) {
            if (answerHead != null) {
                // A head before the last answer was whole: cannot come from the decoder, as in Netty's aggregator.
                fail(asIOException(new MessageAggregationException()), true);
                return;
            }
            if (promisesTooMuch(started)) {
                tooLarge(ctx, started);
                return;
            }
            if (started.decoderResult().isFailure()) {
                // Netty stands a status of its own (999) in for an answer it could not read: it is not passed on.
                notWellFormed(started.decoderResult().cause());
                return;
            }
            answerHead = started;
        }

        /** Whether its Content-Length is over the limit; one that is not a number is left to the decoder, as Netty's aggregator does. */
        private static boolean promisesTooMuch(HttpResponse started) {
            try {
                return HttpUtil.getContentLength(started, -1L) > MAX_ANSWER_BYTES;
            } catch (NumberFormatException notANumber) {
                return false;
            }
        }

        private void gather(ChannelHandlerContext ctx, HttpContent piece) {
            ByteBuf bytes = piece.content();
            int had = answerBody == null ? 0 : answerBody.readableBytes();
            if (had > MAX_ANSWER_BYTES - bytes.readableBytes()) {
                tooLarge(ctx, answerHead);
                return;
            }
            if (bytes.isReadable()) {
                if (answerBody == null) {
                    // The usual case: the whole body in one piece, passed on as the decoder cut it out.
                    answerBody = bytes.retain();
                } else {
                    if (!(answerBody instanceof CompositeByteBuf)) {
                        answerBody = ctx.alloc().compositeBuffer(MAX_PIECES).addComponent(true, answerBody);
                    }
                    ((CompositeByteBuf) answerBody).addComponent(true, bytes.retain());
                }
            }
            if (piece.decoderResult().isFailure()) {
                // An answer cut short, say: it is not passed on.
                notWellFormed(piece.decoderResult().cause());
                return;
            }
            if (piece instanceof LastHttpContent) {
                answered(answerHead, answerBody == null ? Unpooled.EMPTY_BUFFER : answerBody);
            }
        }

        private void answered(HttpResponse head, ByteBuf content) {
            answerHead = null;
            answerBody = null;
            Reply to = done();
            Answer answer = new Answer(head.status().code(), content, head.headers().get(HttpHeaderNames.CONTENT_TYPE),
                    head.headers().get("Retry-After"));
            if (HttpUtil.isKeepAlive(head) && !leftover) {
                give(this);
            } else {
                channel.close();
            }
            to.answered(answer);
        }

        private void notWellFormed(Throwable cause) {
            fail(new IOException("its answer is not well-formed HTTP (" + cause.getMessage() + ")", cause), false);
        }

        /** As Netty's aggregator: the connection is closed and the message fails. */
        private void tooLarge(ChannelHandlerContext ctx, HttpResponse head) {
            ctx.close();
            fail(asIOException(new TooLongHttpContentException("Response entity too large: " + head)), true);
        }

        private void dropAnswer() {
            answerHead = null;
            if (answerBody != null) {
                answerBody.release();
                answerBody = null;
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (answerHead != null) {
                // As Netty's aggregator tells it.
                fail(asIOException(new PrematureChannelClosureException("Channel closed while still aggregating message")), true);
            }
            fail(answering ? new EOFException("the instance closed the connection before its answer was whole")
                    : new EOFException("the instance closed the connection without answering"), true);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            fail(asIOException(cause), true);
        }

        /**
         * Ends the message out with {@code cause}, or, when {@code mayBeStale}, sends it again on a
         * new connection if this one was kept and not a byte of the answer had come.
         */
        private void fail(IOException cause, boolean mayBeStale) {
            if (reply == null) {
                channel.close();
                return;
            }
            boolean stale = mayBeStale && reused && !answering;
            ByteBuf message = body.retain();
            Reply to = done();
            channel.close();
            if (stale) {
                connect(loop(), address, message, to);
            } else {
                message.release();
                to.failed(cause);
            }
        }

        private Reply done() {
            Reply to = reply;
            reply = null;
            body.release();
            body = null;
            timeout.clear();
            dropAnswer();
            return to;
        }
    }
}
