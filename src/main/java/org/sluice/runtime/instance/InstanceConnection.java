package org.sluice.runtime.instance;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.sluice.runtime.http.HttpTurns;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection to a role instance's endpoint, on its event loop: reads a request, answers it,
 * and only then reads the next one ({@link HttpTurns} takes the turns, the deadlines and the body,
 * as for the front door's connections, decision 0034).
 *
 * <p>The checks of {@link MessageHandler} are made as soon as a request's line and headers are
 * here. A refused message's body is read and dropped as it comes, and the refusal (404, 405, 403,
 * 409, 503, 413) is written on the loop once the request is whole: no thread is involved. An
 * admitted message's body is gathered on the heap, in room that grows with the bytes that arrived;
 * once whole it is handed to a worker thread, which delivers it, and the loop writes the answer.
 * Requests under {@link ProtocolHandler#PREFIX} go to the protocol once whole (their bodies
 * dropped); its events stream is written here line by line as the feed has them, only while the
 * connection can take them, so a follower that does not read holds at most the channel's write
 * buffer and its subscriber's backlog.
 */
final class InstanceConnection extends HttpTurns {
    private static final Logger LOG = LoggerFactory.getLogger(InstanceConnection.class);

    private enum Target { MESSAGE, REFUSED, ROUTE }

    private final MessageEndpoint endpoint;
    private boolean counted;
    private EndpointRequest seen;
    private Target target;
    private MessageEndpoint.Route route;
    private Reply.Answer refusal;
    private InstanceMonitor.Admission admission;
    private boolean tooLarge;
    private long decidedNanos;
    private EventFeed.Subscriber streaming;
    private EventFeed streamFeed;
    /** Run once the end of a feed that ended is written to its follower. */
    private Runnable streamEnded;

    InstanceConnection(MessageEndpoint endpoint, Duration requestTime) {
        // Gathered on the heap: an admitted message is copied out for a worker thread.
        super(LOG, requestTime, MessageHandler.MAX_MESSAGE_BYTES, true);
        this.endpoint = endpoint;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        super.channelInactive(ctx);
        stopStreaming();
        if (admission != null && target == Target.MESSAGE && !isAnswering()) {
            // The sender went before its message was whole: it was never processed.
            finish(false);
        }
        uncount();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (streaming != null && ctx.channel().isWritable()) {
            drain(ctx);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    protected void head(ChannelHandlerContext ctx, HttpRequest started) {
        tooLarge = false;
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

    @Override
    protected boolean keeps(long bodyBytes) {
        if (target == Target.MESSAGE && bodyBytes > MessageHandler.MAX_MESSAGE_BYTES) {
            tooLarge = true;
        }
        // A refused body is read and dropped, so the answer is not overtaken by a reset.
        return target == Target.MESSAGE && !tooLarge;
    }

    @Override
    protected void whole(ChannelHandlerContext ctx) {
        long dispatched = System.nanoTime();
        switch (target) {
            case REFUSED -> send(ctx, refusal, dispatched, null);
            case MESSAGE -> message(ctx, dispatched);
            case ROUTE -> reply(ctx, route.handle(seen), dispatched);
        }
    }

    @Override
    protected void answering() {
        count();
    }

    @Override
    protected void idling() {
        uncount();
    }

    @Override
    protected void forget() {
        seen = null;
        target = null;
        route = null;
        refusal = null;
        decidedNanos = 0;
    }

    private void message(ChannelHandlerContext ctx, long dispatched) {
        MessageHandler messages = endpoint.messages();
        if (tooLarge) {
            dropBody();
            send(ctx, messages.tooLarge(), dispatched, () -> finish(false));
            return;
        }
        ByteBuf gathered = takeBody();
        byte[] bytes = new byte[gathered == null ? 0 : gathered.readableBytes()];
        if (gathered != null) {
            gathered.readBytes(bytes);
            gathered.release();
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
        if (!keepAlive()) {
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

    @Override
    protected void garbage(ChannelHandlerContext ctx, int status, Throwable cause) {
        if (target == Target.MESSAGE) {
            finish(false);
        }
        Reply.Answer answer = switch (status) {
            case 431 -> Reply.Answer.text(431, "the request's headers are over " + MAX_HEADER_BYTES + " bytes");
            case 414 -> Reply.Answer.text(414, "the request line is over " + MAX_LINE_BYTES + " bytes; messages go to POST /messages");
            default -> Reply.Answer.text(400, "this is not a well-formed HTTP/1.1 request (" + cause.getMessage()
                    + "); messages go to POST /messages");
        };
        send(ctx, answer, System.nanoTime(), null);
    }

    /**
     * Writes the answer to the request; once it is out, tells the endpoint's timing and runs
     * {@code written} (where an admitted message's admission is finished) before the next request
     * is read.
     */
    private void send(ChannelHandlerContext ctx, Reply.Answer answer, long dispatched, Runnable written) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(answer.status()),
                Unpooled.wrappedBuffer(answer.body()));
        for (Map.Entry<String, String> header : answer.headers().entrySet()) {
            response.headers().set(header.getKey(), header.getValue());
        }
        if (answer.status() != 204) {
            HttpUtil.setContentLength(response, answer.body().length);
        }
        long decided = decidedNanos;
        long arrived = arrivedAt();
        send(ctx, response, done -> {
            MessageEndpoint.Timing timing = endpoint.timing();
            if (timing != null && done.isSuccess()) {
                timing.answered(answer.status(), decided, arrived, dispatched, System.nanoTime());
            }
            if (written != null) {
                written.run();
            }
        });
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
}
