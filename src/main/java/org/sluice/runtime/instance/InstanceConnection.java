package org.sluice.runtime.instance;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection to a role instance's endpoint, on its event loop: reads a request, answers it,
 * and only then reads the next one (keep-alive, one request at a time, as the front door's
 * connections do, decision 0034).
 *
 * <p>The checks of {@link MessageHandler} are made as soon as a request's line and headers are
 * here. A refused message's body is read and dropped as it comes, and the refusal (404, 405, 403,
 * 409, 503, 413) is written on the loop once the request is whole: no thread is involved. An
 * admitted message's body is gathered into room that grows with the bytes that arrived (from
 * {@value #FIRST_ROOM} bytes, doubling), never what its {@code Content-Length} promises; once whole
 * it is handed to a worker thread, which delivers it, and the loop writes the answer. Requests under
 * {@link ProtocolHandler#PREFIX} go to the protocol once whole (their bodies dropped); its events
 * stream is written here line by line as the feed has them, only while the connection can take
 * them, so a follower that does not read holds at most the channel's write buffer and its
 * subscriber's backlog.
 *
 * <p>A request must arrive whole within the endpoint's request time, and a connection with no
 * request for {@link #IDLE_TIME} is closed.
 */
final class InstanceConnection extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(InstanceConnection.class);
    /** The longest request line. */
    static final int MAX_LINE_BYTES = 64 * 1024;
    /** The most bytes of header lines in a request. */
    static final int MAX_HEADER_BYTES = 16 * 1024;
    /** The room for a body in several pieces before its second piece is added. */
    static final int FIRST_ROOM = 1024;
    /** How long a connection may wait for its next request before it is closed, as the JDK's server did. */
    static final Duration IDLE_TIME = Duration.ofSeconds(30);
    /** How long a connection whose request was not HTTP is read and its bytes dropped before it is closed. */
    static final Duration LINGER = Duration.ofSeconds(2);

    private enum Phase {
        /** Waiting for the first byte of a request. */
        IDLE,
        /** A request is arriving. */
        RECEIVING,
        /** The request is whole; its answer is not yet written (or its stream goes on). */
        ANSWERING
    }

    private enum Target { MESSAGE, REFUSED, ROUTE, MALFORMED }

    private final MessageEndpoint endpoint;
    private final Duration requestTime;
    private Phase phase = Phase.IDLE;
    private boolean counted;
    private ScheduledFuture<?> deadline;
    private HttpRequest request;
    private EndpointRequest seen;
    private Target target;
    private MessageEndpoint.Route route;
    private Reply.Answer refusal;
    private InstanceMonitor.Admission admission;
    private boolean tooLarge;
    private long decidedNanos;
    /** {@link System#nanoTime()} when the first bytes of the request now arriving were read. */
    private long arrivedAt;
    private boolean keepAlive;
    private boolean malformed;
    private ByteBuf body;
    private long bodyBytes;
    private EventFeed.Subscriber streaming;
    private EventFeed streamFeed;
    /** Run once the end of a feed that ended is written to its follower. */
    private Runnable streamEnded;

    InstanceConnection(MessageEndpoint endpoint, Duration requestTime) {
        this.endpoint = endpoint;
        this.requestTime = requestTime;
    }

    /** The bytes set aside for the body arriving now (for tests: it must follow the bytes that came). */
    int room() {
        return body == null ? 0 : body.capacity();
    }

    /** Goes before the HTTP decoder: the first byte of a request starts its time to arrive whole. */
    ChannelInboundHandlerAdapter arrival() {
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

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        idle(ctx);
        ctx.read();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelDeadline();
        dropBody();
        stopStreaming();
        if (admission != null && target == Target.MESSAGE && phase != Phase.ANSWERING) {
            // The sender went before its message was whole: it was never processed.
            finish(false);
        }
        uncount();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("connection from {} ended: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (streaming != null && ctx.channel().isWritable()) {
            drain(ctx);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (phase == Phase.ANSWERING) {
                return;
            }
            if (msg instanceof HttpRequest started) {
                begin(ctx, started);
            }
            if (msg instanceof HttpContent piece && phase == Phase.RECEIVING && target != null) {
                take(ctx, piece);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
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
        tooLarge = false;
        keepAlive = HttpUtil.isKeepAlive(started);
        if (started.decoderResult().isFailure()) {
            target = Target.MALFORMED;
            malformed(ctx, started.decoderResult());
            return;
        }
        String uri = started.uri();
        int mark = uri.indexOf('?');
        String path;
        try {
            path = new QueryStringDecoder(uri).path();
        } catch (IllegalArgumentException e) {
            path = mark < 0 ? uri : uri.substring(0, mark);
        }
        seen = new EndpointRequest(started.method().name(), path, mark < 0 ? null : uri.substring(mark + 1),
                name -> started.headers().get(name));
        route = endpoint.routeFor(path);
        if (route != null) {
            target = Target.ROUTE;
            return;
        }
        MessageHandler messages = endpoint.messages();
        if (messages == null) {
            target = Target.REFUSED;
            refusal = Reply.Answer.text(404, "not found: this instance takes no messages yet");
            return;
        }
        long start = System.nanoTime();
        switch (messages.begin(seen)) {
            case MessageHandler.Refused refused -> {
                target = Target.REFUSED;
                refusal = refused.answer();
            }
            case MessageHandler.Admitted admitted -> {
                target = Target.MESSAGE;
                admission = admitted.admission();
                tooLarge = admitted.tooLarge();
            }
        }
        decidedNanos = System.nanoTime() - start;
    }

    private void take(ChannelHandlerContext ctx, HttpContent piece) {
        if (piece.decoderResult().isFailure()) {
            malformed(ctx, piece.decoderResult());
            return;
        }
        ByteBuf bytes = piece.content();
        bodyBytes += bytes.readableBytes();
        boolean last = piece instanceof LastHttpContent;
        if (target == Target.MESSAGE && bodyBytes > MessageHandler.MAX_MESSAGE_BYTES) {
            tooLarge = true;
        }
        boolean kept = target == Target.MESSAGE && !tooLarge;
        if (!kept) {
            // A refused body is read and dropped, so the answer is not overtaken by a reset.
            dropBody();
        } else if (bytes.isReadable() || body == null) {
            if (body == null) {
                int room = last ? bytes.readableBytes() : Math.min(FIRST_ROOM, MessageHandler.MAX_MESSAGE_BYTES);
                body = ctx.alloc().heapBuffer(room, MessageHandler.MAX_MESSAGE_BYTES);
            }
            // Room doubles as bytes come, up to the limit: never what a Content-Length promises.
            body.writeBytes(bytes);
        }
        if (last) {
            whole(ctx);
        }
    }

    private void whole(ChannelHandlerContext ctx) {
        phase = Phase.ANSWERING;
        count();
        cancelDeadline();
        long dispatched = System.nanoTime();
        switch (target) {
            case REFUSED -> send(ctx, refusal, dispatched, null);
            case MESSAGE -> message(ctx, dispatched);
            case ROUTE -> reply(ctx, route.handle(seen), dispatched);
            case MALFORMED -> { }
        }
    }

    private void message(ChannelHandlerContext ctx, long dispatched) {
        MessageHandler messages = endpoint.messages();
        if (tooLarge) {
            dropBody();
            send(ctx, messages.tooLarge(), dispatched, () -> finish(false));
            return;
        }
        byte[] bytes = new byte[body == null ? 0 : body.readableBytes()];
        if (body != null) {
            body.readBytes(bytes);
            dropBody();
        }
        if (admission != null) {
            admission.holdBytes(bytes.length);
        }
        try {
            endpoint.workers().execute(() -> {
                MessageHandler.Outcome outcome;
                try {
                    outcome = messages.process(bytes);
                } catch (RuntimeException e) {
                    LOG.error("failed to handle a message", e);
                    ctx.executor().execute(() -> {
                        ctx.close();
                        finish(false);
                    });
                    return;
                }
                onLoop(ctx, () -> send(ctx, outcome.answer(), dispatched, () -> finish(outcome.delivered())),
                        () -> finish(outcome.delivered()));
            });
        } catch (RejectedExecutionException e) {
            // The endpoint is closing.
            send(ctx, Reply.Answer.text(503, MessageHandler.BUSY).with("Retry-After", "1"), dispatched, () -> finish(false));
        }
    }

    private void finish(boolean delivered) {
        InstanceMonitor.Admission finishing = admission;
        admission = null;
        if (finishing != null) {
            finishing.finish(delivered);
        }
    }

    /** Writes {@code reply}: at once when it is an answer or the stream, after its work when it may block. */
    private void reply(ChannelHandlerContext ctx, Reply reply, long dispatched) {
        switch (reply) {
            case Reply.Answer answer -> send(ctx, answer, dispatched, null);
            case Reply.Stream stream -> stream(ctx, stream);
            case Reply.Later later -> {
                try {
                    endpoint.workers().execute(() -> {
                        Reply done;
                        try {
                            done = later.work().call();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            onLoop(ctx, ctx::close, () -> { });
                            return;
                        } catch (Exception e) {
                            LOG.error("failed to answer {}", seen == null ? "a request" : seen.path(), e);
                            onLoop(ctx, ctx::close, () -> { });
                            return;
                        }
                        onLoop(ctx, () -> reply(ctx, done, dispatched), () -> { });
                    });
                } catch (RejectedExecutionException e) {
                    ctx.close();
                }
            }
        }
    }

    /** Runs {@code task} on the connection's loop, or {@code otherwise} here when the loop has stopped. */
    private static void onLoop(ChannelHandlerContext ctx, Runnable task, Runnable otherwise) {
        try {
            ctx.executor().execute(task);
        } catch (RejectedExecutionException e) {
            otherwise.run();
        }
    }

    private void stream(ChannelHandlerContext ctx, Reply.Stream stream) {
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        stream.headers().forEach((name, value) -> head.headers().set(name, value));
        HttpUtil.setTransferEncodingChunked(head, true);
        if (!keepAlive) {
            head.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        streaming = stream.subscriber();
        streamFeed = stream.feed();
        EventFeed.Subscriber subscriber = streaming;
        ctx.write(head).addListener((ChannelFutureListener) written -> {
            if (!written.isSuccess()) {
                ctx.close();
            }
        });
        streamEnded = stream.ended();
        AtomicBoolean woken = new AtomicBoolean();
        // Told on the thread that publishes: the lines are written on the loop.
        subscriber.whenLines(() -> {
            if (woken.compareAndSet(false, true)) {
                onLoop(ctx, () -> {
                    woken.set(false);
                    if (streaming == subscriber) {
                        drain(ctx);
                    }
                }, () -> { });
            }
        });
        ctx.flush();
        drain(ctx);
    }

    /** Writes the lines waiting while the follower takes them; ends the stream at the feed's end. */
    private void drain(ChannelHandlerContext ctx) {
        Runnable ended = streamEnded;
        boolean wrote = false;
        try {
            while (streaming != null && ctx.channel().isWritable()) {
                Optional<String> line = streaming.poll();
                if (line.isEmpty()) {
                    break;
                }
                ctx.write(new DefaultHttpContent(Unpooled.wrappedBuffer((line.get() + "\n").getBytes(StandardCharsets.UTF_8))));
                wrote = true;
            }
        } catch (EventFeed.EndOfFeed end) {
            stopStreaming();
            if (end.clean()) {
                ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener((ChannelFutureListener) written -> {
                    if (written.isSuccess()) {
                        ended.run();
                    }
                    answered(ctx, written);
                });
            } else {
                // Its stream ends without a stopped event: the host takes that as a break and follows again.
                LOG.warn("a follower of the event stream fell {} events behind and was cut off", EventFeed.BACKLOG);
                ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
                if (!ctx.channel().isWritable()) {
                    ctx.close();
                }
            }
            return;
        }
        if (wrote) {
            ctx.flush();
        }
    }

    private void stopStreaming() {
        if (streaming != null) {
            streamFeed.unsubscribe(streaming);
            streaming = null;
            streamFeed = null;
        }
    }

    private void malformed(ChannelHandlerContext ctx, DecoderResult result) {
        phase = Phase.ANSWERING;
        count();
        cancelDeadline();
        dropBody();
        if (target == Target.MESSAGE) {
            finish(false);
        }
        keepAlive = false;
        malformed = true;
        Throwable cause = result.cause();
        Reply.Answer answer;
        if (cause instanceof TooLongHttpHeaderException) {
            answer = Reply.Answer.text(431, "the request's headers are over " + MAX_HEADER_BYTES + " bytes");
        } else if (cause instanceof TooLongHttpLineException) {
            answer = Reply.Answer.text(414, "the request line is over " + MAX_LINE_BYTES + " bytes; messages go to POST /messages");
        } else {
            answer = Reply.Answer.text(400, "this is not a well-formed HTTP/1.1 request (" + cause.getMessage()
                    + "); messages go to POST /messages");
        }
        send(ctx, answer, System.nanoTime(), null);
    }

    /**
     * Writes the answer to the request; once it is out, runs {@code written} (where an admitted
     * message's admission is finished), then reads the next request, or closes the connection when
     * it is not to be kept. A sender that does not read its answer gets as long to take it as it had
     * to send its request.
     */
    private void send(ChannelHandlerContext ctx, Reply.Answer answer, long dispatched, Runnable written) {
        dropBody();
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(answer.status()),
                Unpooled.wrappedBuffer(answer.body()));
        for (Map.Entry<String, String> header : answer.headers().entrySet()) {
            response.headers().set(header.getKey(), header.getValue());
        }
        if (answer.status() != 204) {
            HttpUtil.setContentLength(response, answer.body().length);
        }
        if (!keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (request != null && request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        long decided = decidedNanos;
        long arrived = arrivedAt;
        ChannelFuture writing = ctx.writeAndFlush(response);
        if (!writing.isDone()) {
            ScheduledFuture<?> limit = ctx.executor().schedule(() -> {
                if (!writing.isDone()) {
                    LOG.debug("the answer to {} was not taken within {} s; its connection is closed",
                            ctx.channel().remoteAddress(), requestTime.toSeconds());
                    ctx.close();
                }
            }, requestTime.toNanos(), TimeUnit.NANOSECONDS);
            writing.addListener(done -> limit.cancel(false));
        }
        writing.addListener((ChannelFutureListener) done -> {
            MessageEndpoint.Timing timing = endpoint.timing();
            if (timing != null && done.isSuccess()) {
                timing.answered(answer.status(), decided, arrived, dispatched, System.nanoTime());
            }
            if (written != null) {
                written.run();
            }
            answered(ctx, done);
        });
    }

    /** After an answer (or a stream's end) is written: the next request, or the end of the connection. */
    private void answered(ChannelHandlerContext ctx, ChannelFuture written) {
        request = null;
        seen = null;
        target = null;
        route = null;
        refusal = null;
        decidedNanos = 0;
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
     * answer rather than a reset.
     */
    private void linger(ChannelHandlerContext ctx) {
        if (ctx.channel() instanceof io.netty.channel.socket.SocketChannel socket) {
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
        uncount();
        arm(ctx, IDLE_TIME);
    }

    private void count() {
        if (!counted) {
            counted = true;
            endpoint.answering(1);
        }
    }

    private void uncount() {
        if (counted) {
            counted = false;
            endpoint.answering(-1);
        }
    }

    /** A request not whole by then, or no request by then, has its connection closed. */
    private void arm(ChannelHandlerContext ctx, Duration limit) {
        cancelDeadline();
        deadline = ctx.executor().schedule(() -> {
            if (phase != Phase.ANSWERING) {
                if (phase == Phase.RECEIVING) {
                    LOG.debug("a request from {} did not arrive whole within {} s; its connection is closed",
                            ctx.channel().remoteAddress(), limit.toSeconds());
                }
                ctx.close();
            }
        }, limit.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void cancelDeadline() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    private void dropBody() {
        if (body != null) {
            body.release();
            body = null;
        }
    }
}
