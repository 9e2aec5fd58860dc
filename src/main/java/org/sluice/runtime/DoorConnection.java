package org.sluice.runtime;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.sluice.lifecycle.ServiceDefinition;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
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
 * One connection to the front door, on its event loop: reads a request, decides what the door
 * answers or forwards it, writes the answer, and only then reads the next request. See
 * {@link FrontDoor} for the answers and the order of their checks.
 *
 * <p>A body is taken as its pieces come: a message in one piece is passed on as it was read, one in
 * several is gathered into room that grows with the bytes that arrived (from
 * {@value #FIRST_ROOM} bytes, doubling), never what its {@code Content-Length} promises; a body
 * over {@link FrontDoor#MAX_MESSAGE_BYTES} is read to its end and dropped, so that the 413 is not
 * overtaken by a reset of the connection.
 */
final class DoorConnection extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(DoorConnection.class);
    /** The longest request line: a name that is no service's is still answered 404, up to this. */
    static final int MAX_LINE_BYTES = 64 * 1024;
    /** The most bytes of header lines in a request. */
    static final int MAX_HEADER_BYTES = 16 * 1024;
    /** The room for a body in several pieces before its second piece is added. */
    static final int FIRST_ROOM = 1024;
    /** How long a connection may wait for its next request before the door closes it, as the JDK's server did. */
    static final Duration IDLE_TIME = Duration.ofSeconds(30);
    /** How long a connection whose request was not HTTP is read and its bytes dropped before it is closed. */
    static final Duration LINGER = Duration.ofSeconds(2);
    private static final Pattern PATH = Pattern.compile("/services/([^/]+)/messages/?");
    private static final String TEXT = "text/plain; charset=utf-8";

    private enum Phase {
        /** Waiting for the first byte of a request. */
        IDLE,
        /** A request is arriving. */
        RECEIVING,
        /** The request is whole; its answer is not yet written. */
        ANSWERING
    }

    private enum Target { FORWARD, SLOW_PARTNER, NOT_FOUND, WRONG_METHOD, MALFORMED }

    private final FrontDoor door;
    private final Duration requestTime;
    private Phase phase = Phase.IDLE;
    private ScheduledFuture<?> deadline;
    private HttpRequest request;
    private Target target;
    private String service;
    private boolean keepAlive;
    /** The request was not well-formed HTTP: its answer is the connection's last. */
    private boolean malformed;
    private ByteBuf body;
    private long bodyBytes;

    DoorConnection(FrontDoor door, Duration requestTime) {
        this.door = door;
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
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A sender that reset its connection, mostly: nothing to answer to.
        LOG.debug("Front door connection from {} ended: {}", ctx.channel().remoteAddress(), cause.toString());
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
            if (msg instanceof HttpContent piece && phase == Phase.RECEIVING && target != null) {
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
            target = Target.MALFORMED;
            malformed(ctx, started.decoderResult());
            return;
        }
        String path = new QueryStringDecoder(started.uri()).path();
        Matcher matcher = PATH.matcher(path);
        if (matcher.matches()) {
            service = matcher.group(1);
            target = started.method().equals(HttpMethod.POST) ? Target.FORWARD : Target.WRONG_METHOD;
        } else if (path.equals(FrontDoor.SLOW_PARTNER_PATH) || path.startsWith(FrontDoor.SLOW_PARTNER_PATH + "/")) {
            target = started.method().equals(HttpMethod.POST) ? Target.SLOW_PARTNER : Target.WRONG_METHOD;
        } else {
            target = Target.NOT_FOUND;
        }
    }

    private void take(ChannelHandlerContext ctx, HttpContent piece) {
        if (piece.decoderResult().isFailure()) {
            malformed(ctx, piece.decoderResult());
            return;
        }
        ByteBuf bytes = piece.content();
        bodyBytes += bytes.readableBytes();
        boolean last = piece instanceof LastHttpContent;
        boolean kept = (target == Target.FORWARD || target == Target.SLOW_PARTNER) && bodyBytes <= FrontDoor.MAX_MESSAGE_BYTES;
        if (!kept) {
            dropBody();
        } else if (body == null && last) {
            // The whole body in one piece, the usual case: passed on as it was read.
            body = bytes.retain();
        } else if (bytes.isReadable() || body == null) {
            if (body == null) {
                body = ctx.alloc().buffer(Math.min(FIRST_ROOM, FrontDoor.MAX_MESSAGE_BYTES), FrontDoor.MAX_MESSAGE_BYTES);
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
        cancelDeadline();
        switch (target) {
            case NOT_FOUND -> answer(ctx, HttpResponseStatus.NOT_FOUND, "Not found; messages go to POST /services/{name}/messages");
            case WRONG_METHOD -> {
                FullHttpResponse response = text(HttpResponseStatus.METHOD_NOT_ALLOWED, "Use POST");
                response.headers().set(HttpHeaderNames.ALLOW, "POST");
                send(ctx, response);
            }
            case SLOW_PARTNER -> slowPartner(ctx);
            case FORWARD -> route(ctx);
            case MALFORMED -> { }
        }
    }

    private boolean fromWebPage() {
        return request.headers().contains(HttpHeaderNames.ORIGIN);
    }

    private void route(ChannelHandlerContext ctx) {
        if (fromWebPage()) {
            // A web page in a browser on this machine could otherwise post into every service.
            answer(ctx, HttpResponseStatus.FORBIDDEN, "Requests from web pages are refused; send messages from a program, not a browser");
            return;
        }
        Host.Route route = door.host().route(service);
        if (route instanceof Host.Route.Unknown) {
            // A name that cannot be a service's is not repeated: it may be 60 KB of anything.
            answer(ctx, HttpResponseStatus.NOT_FOUND, ServiceDefinition.isValidName(service) ? "No service named '" + service + "'"
                    : "No such service: a service's name is 1 to 63 lower-case letters, digits or hyphens");
            return;
        }
        if (route instanceof Host.Route.NotActive notActive) {
            answer(ctx, HttpResponseStatus.CONFLICT, "Service '" + service + "' is " + notActive.state().chartName()
                    + "; it processes messages only while Active");
            return;
        }
        if (!(route instanceof Host.Route.To to)) {
            answer(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, "Service '" + service + "' has no running role instance");
            return;
        }
        if (body == null) {
            answer(ctx, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "A message may be at most " + FrontDoor.MAX_MESSAGE_BYTES + " bytes");
            return;
        }
        InetSocketAddress address = to.address();
        if (!door.admit(address)) {
            FullHttpResponse refused = text(HttpResponseStatus.SERVICE_UNAVAILABLE, "The host is stopping; send the message again once it is back");
            refused.headers().set("Retry-After", "5");
            send(ctx, refused);
            return;
        }
        String name = service;
        ByteBuf message = body;
        body = null;
        door.instances().post(ctx.channel().eventLoop(), address, message, new InstanceLinks.Reply() {
            @Override
            public void answered(InstanceLinks.Answer answer) {
                FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(answer.status()),
                        answer.body());
                if (answer.contentType() != null) {
                    response.headers().set(HttpHeaderNames.CONTENT_TYPE, answer.contentType());
                }
                if (answer.retryAfter() != null) {
                    response.headers().set("Retry-After", answer.retryAfter());
                }
                send(ctx, response);
                // The instance has done its part once its answer is here: a sender slow to read it
                // must not hold the host's stop, nor have the instance ended for an answer it gave.
                door.settled(address);
            }

            @Override
            public void failed(IOException cause) {
                LOG.warn("{} instance {} did not answer: {}", name, to.instance(), cause.toString());
                answer(ctx, HttpResponseStatus.BAD_GATEWAY, "Role instance " + to.instance() + " of '" + name + "' did not answer: "
                        + cause.getMessage());
                door.settled(address);
            }
        });
    }

    /** Takes the message, waits on the loop's timer, not on a thread, then answers 204. */
    private void slowPartner(ChannelHandlerContext ctx) {
        if (fromWebPage()) {
            answer(ctx, HttpResponseStatus.FORBIDDEN, "Requests from web pages are refused; send messages from a program, not a browser");
            return;
        }
        if (body == null) {
            answer(ctx, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "A message may be at most " + FrontDoor.MAX_MESSAGE_BYTES + " bytes");
            return;
        }
        dropBody();
        ctx.executor().schedule(() -> {
            send(ctx, new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT, Unpooled.EMPTY_BUFFER));
        }, FrontDoor.SLOW_PARTNER_DELAY.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void malformed(ChannelHandlerContext ctx, DecoderResult result) {
        phase = Phase.ANSWERING;
        cancelDeadline();
        dropBody();
        keepAlive = false;
        malformed = true;
        Throwable cause = result.cause();
        if (cause instanceof TooLongHttpHeaderException) {
            answer(ctx, HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
                    "The request's headers are over " + MAX_HEADER_BYTES + " bytes; a message needs only a few short ones");
        } else if (cause instanceof TooLongHttpLineException) {
            answer(ctx, HttpResponseStatus.REQUEST_URI_TOO_LONG, "The request line is over " + MAX_LINE_BYTES
                    + " bytes; messages go to POST /services/{name}/messages");
        } else {
            answer(ctx, HttpResponseStatus.BAD_REQUEST, "This is not a well-formed HTTP/1.1 request (" + cause.getMessage()
                    + "); messages go to POST /services/{name}/messages");
        }
    }

    private static FullHttpResponse text(HttpResponseStatus status, String text) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.UTF_8)));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, TEXT);
        return response;
    }

    private io.netty.channel.ChannelFuture answer(ChannelHandlerContext ctx, HttpResponseStatus status, String text) {
        return send(ctx, text(status, text));
    }

    /**
     * Writes the answer to the request; once it is out, reads the next request, or closes the
     * connection when it is not to be kept. A sender that does not read its answers gets no
     * further request read: what it costs is the one answer waiting, and that only until its
     * request time is over again.
     */
    private io.netty.channel.ChannelFuture send(ChannelHandlerContext ctx, FullHttpResponse response) {
        dropBody();
        HttpUtil.setContentLength(response, response.content().readableBytes());
        if (!keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (request != null && request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        request = null;
        target = null;
        boolean keep = keepAlive;
        io.netty.channel.ChannelFuture writing = ctx.writeAndFlush(response);
        if (!writing.isDone()) {
            // A sender that never reads its answer would hold its connection, and one of the door's
            // few, for ever: it gets as long to take an answer as it had to send its request.
            ScheduledFuture<?> limit = ctx.executor().schedule(() -> {
                if (!writing.isDone()) {
                    LOG.debug("The answer to {} was not taken within {} s; its connection is closed",
                            ctx.channel().remoteAddress(), requestTime.toSeconds());
                    ctx.close();
                }
            }, requestTime.toNanos(), TimeUnit.NANOSECONDS);
            writing.addListener(done -> limit.cancel(false));
        }
        return writing.addListener((ChannelFutureListener) written -> {
            if (malformed && written.isSuccess()) {
                linger(ctx);
                return;
            }
            if (!keep || !written.isSuccess()) {
                ctx.close();
                return;
            }
            idle(ctx);
            ctx.read();
        });
    }

    /**
     * After the answer to a request that was not HTTP: the door sends no more, and reads and drops
     * what still comes for a moment before it closes, so that the sender gets the answer rather
     * than a reset of the connection on bytes it was still sending (a header of 200 KB, say).
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
        arm(ctx, requestTime);
    }

    private void idle(ChannelHandlerContext ctx) {
        phase = Phase.IDLE;
        arm(ctx, IDLE_TIME);
    }

    /** A request not whole by then, or no request by then, has its connection closed. */
    private void arm(ChannelHandlerContext ctx, Duration limit) {
        cancelDeadline();
        deadline = ctx.executor().schedule(() -> {
            if (phase != Phase.ANSWERING) {
                if (phase == Phase.RECEIVING) {
                    LOG.debug("A request from {} did not arrive whole within {} s; its connection is closed",
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
