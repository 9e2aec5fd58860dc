package org.sluice.runtime.http;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;

/**
 * One HTTP connection on its event loop that takes turns: it reads a request, answers it, and only
 * then reads the next one (keep-alive, one request at a time). The front door (decision 0034) and a
 * role instance's endpoint (decision 0057) both serve this way; each says only what it does once a
 * request's head is in, whether it keeps the body, and what it answers.
 *
 * <p>A request must arrive whole within the request time, from its first byte, and a connection
 * with no request for {@link #IDLE_TIME} is closed; an answer the sender does not take within the
 * request time closes its connection too, so that a sender costs at most one answer waiting. A body
 * that is kept is gathered into room that grows with the bytes that arrived (from
 * {@value #FIRST_ROOM} bytes, doubling, up to the limit), never what its {@code Content-Length}
 * promises; one that is not is read to its end and dropped, so that the answer is not overtaken by
 * a reset of the connection. A request that is not HTTP is answered 400, 414 or 431, and its
 * connection lingers for {@link #LINGER}, reading and dropping, before it is closed.
 */
public abstract class HttpTurns extends ChannelInboundHandlerAdapter {
    /** The longest request line. */
    public static final int MAX_LINE_BYTES = 64 * 1024;
    /** The most bytes of header lines in a request. */
    public static final int MAX_HEADER_BYTES = 16 * 1024;
    /** The room for a body in several pieces before its second piece is added. */
    public static final int FIRST_ROOM = 1024;
    /** How long a connection may wait for its next request before it is closed, as the JDK's server did. */
    public static final Duration IDLE_TIME = Duration.ofSeconds(30);
    /** How long a connection whose request was not HTTP is read and its bytes dropped before it is closed. */
    public static final Duration LINGER = Duration.ofSeconds(2);

    private enum Phase {
        /** Waiting for the first byte of a request. */
        IDLE,
        /** A request is arriving. */
        RECEIVING,
        /** The request is whole; its answer is not yet written (or its stream goes on). */
        ANSWERING
    }

    private final Logger log;
    private final Duration requestTime;
    private final int maxBody;
    private final boolean onHeap;
    private Phase phase = Phase.IDLE;
    /** When the request now arriving must be whole, or the next one must start; made on the first. */
    private LoopDeadline deadline;
    /** How long the deadline set last gave, for the log. */
    private Duration limit;
    /** {@link System#nanoTime()} when the first bytes of the request now arriving were read. */
    private long arrivedAt;
    private HttpRequest request;
    /** The request's head was taken: the pieces of its body are read. */
    private boolean headTaken;
    private boolean keepAlive;
    /** The request was not well-formed HTTP: its answer is the connection's last. */
    private boolean malformed;
    private ByteBuf body;
    private long bodyBytes;

    /**
     * @param log         where the connection's ends are told, under the server's own name
     * @param requestTime how long a request has to arrive whole, and its answer to be taken
     * @param maxBody     the most bytes of a body that is kept
     * @param onHeap      whether a kept body is gathered on the heap, for one that is copied out
     *                    for a thread; else a body in one piece is passed on as it was read
     */
    protected HttpTurns(Logger log, Duration requestTime, int maxBody, boolean onHeap) {
        this.log = log;
        this.requestTime = requestTime;
        this.maxBody = maxBody;
        this.onHeap = onHeap;
    }

    /**
     * A server on {@code loops} whose every connection is one that {@code connection} makes, behind
     * an HTTP decoder with this class's limits. Past {@code maxConnections} open at once (counted in
     * {@code open}), one more is closed as soon as it is accepted, so that a flood of connections
     * costs a file descriptor each for a moment. Reads happen when a connection is ready for its
     * next request, not whenever bytes come.
     */
    public static ServerBootstrap server(EventLoopGroup loops, Class<? extends ServerChannel> channel, int backlog,
            AtomicInteger open, int maxConnections, Supplier<? extends HttpTurns> connection) {
        HttpDecoderConfig http = new HttpDecoderConfig().setMaxInitialLineLength(MAX_LINE_BYTES)
                .setMaxHeaderSize(MAX_HEADER_BYTES).setMaxChunkSize(64 * 1024);
        return new ServerBootstrap().group(loops).channel(channel)
                .option(ChannelOption.SO_BACKLOG, backlog)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.AUTO_READ, false)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel accepted) {
                        if (open.incrementAndGet() > maxConnections) {
                            open.decrementAndGet();
                            accepted.close();
                            return;
                        }
                        accepted.closeFuture().addListener(closed -> open.decrementAndGet());
                        HttpTurns turns = connection.get();
                        accepted.pipeline().addLast(turns.arrival(), new ServerCodec(http), new HttpServerExpectContinueHandler(),
                                new FlowControlHandler(), turns);
                    }
                });
    }

    /** A well-formed request's line and headers are in: decide what it is; its body comes next. */
    protected abstract void head(ChannelHandlerContext ctx, HttpRequest request);

    /** Whether the body is kept, now that {@code bodyBytes} of it have come; a body not kept is dropped. */
    protected abstract boolean keeps(long bodyBytes);

    /** The request is whole (its body, if kept, waits in {@link #takeBody()}): answer it with {@link #send}. */
    protected abstract void whole(ChannelHandlerContext ctx);

    /** Answers with {@link #send} a request that is not HTTP: {@code status} is 400, 414 or 431, for {@code cause}. */
    protected abstract void garbage(ChannelHandlerContext ctx, int status, Throwable cause);

    /** The request is whole or was not HTTP: its answer is due. */
    protected void answering() {
    }

    /** The connection waits for its next request. */
    protected void idling() {
    }

    /** The answer is written, before the next request is read: forget the request. */
    protected void forget() {
    }

    /** The bytes set aside for the body arriving now (for tests: it must follow the bytes that came). */
    public final int room() {
        return body == null ? 0 : body.capacity();
    }

    /** Goes before the HTTP decoder: the first byte of a request starts its time to arrive whole. */
    public final ChannelInboundHandlerAdapter arrival() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (phase == Phase.IDLE) {
                    receiving(ctx);
                }
                ctx.fireChannelRead(msg);
            }
        };
    }

    /** The request now arriving or answered; null between requests. */
    protected final HttpRequest request() {
        return request;
    }

    /** Whether the connection is to be kept once this request is answered. */
    protected final boolean keepAlive() {
        return keepAlive;
    }

    /** {@link System#nanoTime()} when the first bytes of the request were read. */
    protected final long arrivedAt() {
        return arrivedAt;
    }

    /** Whether the request is whole and its answer not yet written. */
    protected final boolean isAnswering() {
        return phase == Phase.ANSWERING;
    }

    /** Whether a kept body is here (none when it was dropped, as one over the limit is). */
    protected final boolean hasBody() {
        return body != null;
    }

    /** The kept body, now the caller's to release; null when there is none. */
    protected final ByteBuf takeBody() {
        ByteBuf taken = body;
        body = null;
        return taken;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        idle(ctx);
        ctx.read();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (deadline != null) {
            deadline.cancel();
        }
        dropBody();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A sender that reset its connection, mostly: nothing to answer to.
        log.debug("connection from {} ended: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (phase == Phase.ANSWERING) {
                // Cannot happen while reads wait for the answer; a request is never taken twice.
                return;
            }
            if (msg instanceof HttpRequest started) {
                begin(ctx, started);
            }
            if (msg instanceof HttpContent piece && phase == Phase.RECEIVING && headTaken) {
                take(ctx, piece);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
        // Once the answer is out, writing it asks for the next request; only a request still arriving asks here.
        if (phase == Phase.RECEIVING && ctx.channel().isActive()) {
            ctx.read();
        }
    }

    private void begin(ChannelHandlerContext ctx, HttpRequest started) {
        if (phase == Phase.IDLE) {
            receiving(ctx);
        }
        request = started;
        bodyBytes = 0;
        keepAlive = HttpUtil.isKeepAlive(started);
        if (started.decoderResult().isFailure()) {
            malformed(ctx, started.decoderResult());
            return;
        }
        head(ctx, started);
        headTaken = true;
    }

    private void take(ChannelHandlerContext ctx, HttpContent piece) {
        if (piece.decoderResult().isFailure()) {
            malformed(ctx, piece.decoderResult());
            return;
        }
        ByteBuf bytes = piece.content();
        bodyBytes += bytes.readableBytes();
        boolean last = piece instanceof LastHttpContent;
        if (!keeps(bodyBytes)) {
            dropBody();
        } else if (body == null && last && !onHeap) {
            // The whole body in one piece, the usual case: passed on as it was read.
            body = bytes.retain();
        } else if (bytes.isReadable() || body == null) {
            if (body == null) {
                int room = last ? bytes.readableBytes() : Math.min(FIRST_ROOM, maxBody);
                body = onHeap ? ctx.alloc().heapBuffer(room, maxBody) : ctx.alloc().buffer(room, maxBody);
            }
            // Room doubles as bytes come, up to the limit: never what a Content-Length promises.
            body.writeBytes(bytes);
        }
        if (last) {
            phase = Phase.ANSWERING;
            answering();
            cancelDeadline();
            whole(ctx);
        }
    }

    private void malformed(ChannelHandlerContext ctx, DecoderResult result) {
        phase = Phase.ANSWERING;
        answering();
        cancelDeadline();
        dropBody();
        keepAlive = false;
        malformed = true;
        Throwable cause = result.cause();
        if (cause instanceof TooLongHttpHeaderException) {
            garbage(ctx, 431, cause);
        } else if (cause instanceof TooLongHttpLineException) {
            garbage(ctx, 414, cause);
        } else {
            garbage(ctx, 400, cause);
        }
    }

    /**
     * Writes the answer to the request; once it is out, runs {@code first} (may be null), then reads
     * the next request, or closes the connection when it is not to be kept. A sender that does not
     * read its answers gets no further request read: what it costs is the one answer waiting, and
     * that only until its request time is over again.
     */
    protected final void send(ChannelHandlerContext ctx, FullHttpResponse response, Consumer<ChannelFuture> first) {
        dropBody();
        if (!keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (request != null && request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        ChannelFuture writing = ctx.writeAndFlush(response);
        if (!writing.isDone()) {
            // A sender that never reads its answer would hold its connection, and one of the
            // server's few, for ever: it gets as long to take an answer as it had to send its request.
            ScheduledFuture<?> limit = ctx.executor().schedule(() -> {
                if (!writing.isDone()) {
                    log.debug("the answer to {} was not taken within {} s; its connection is closed",
                            ctx.channel().remoteAddress(), requestTime.toSeconds());
                    ctx.close();
                }
            }, requestTime.toNanos(), TimeUnit.NANOSECONDS);
            writing.addListener(done -> limit.cancel(false));
        }
        writing.addListener((ChannelFutureListener) done -> {
            if (first != null) {
                first.accept(done);
            }
            answered(ctx, done);
        });
    }

    /** After an answer (or a stream's end) is written: the next request, or the end of the connection. */
    protected final void answered(ChannelHandlerContext ctx, ChannelFuture written) {
        request = null;
        headTaken = false;
        forget();
        if (malformed && written.isSuccess()) {
            linger(ctx);
            return;
        }
        if (!keepAlive || !written.isSuccess()) {
            ctx.close();
            return;
        }
        idle(ctx);
        ctx.read();
    }

    /**
     * After the answer to a request that was not HTTP: no more is sent, and what still comes is
     * read and dropped for a moment before the connection is closed, so that the sender gets the
     * answer rather than a reset of the connection on bytes it was still sending (a header of
     * 200 KB, say).
     */
    private void linger(ChannelHandlerContext ctx) {
        if (ctx.channel() instanceof SocketChannel socket) {
            socket.shutdownOutput();
        }
        ctx.channel().config().setAutoRead(true);
        ctx.executor().schedule(() -> {
            ctx.close();
        }, LINGER.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void receiving(ChannelHandlerContext ctx) {
        phase = Phase.RECEIVING;
        arrivedAt = System.nanoTime();
        arm(ctx, requestTime);
    }

    private void idle(ChannelHandlerContext ctx) {
        phase = Phase.IDLE;
        idling();
        arm(ctx, IDLE_TIME);
    }

    /**
     * A request not whole by then, or no request by then, has its connection closed. The deadline
     * moves with every request, without a timer task each time (LoopDeadline).
     */
    private void arm(ChannelHandlerContext ctx, Duration limit) {
        if (deadline == null) {
            deadline = new LoopDeadline(ctx.executor(), () -> {
                if (phase != Phase.ANSWERING) {
                    if (phase == Phase.RECEIVING) {
                        log.debug("a request from {} did not arrive whole within {} s; its connection is closed",
                                ctx.channel().remoteAddress(), this.limit.toSeconds());
                    }
                    ctx.close();
                }
            });
        }
        this.limit = limit;
        deadline.set(limit);
    }

    private void cancelDeadline() {
        if (deadline != null) {
            deadline.clear();
        }
    }

    /** Releases the body gathered so far, if any. */
    protected final void dropBody() {
        if (body != null) {
            body.release();
            body = null;
        }
    }
}
