package org.sluice.runtime;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.sluice.lifecycle.ServiceDefinition;
import org.sluice.runtime.http.HttpTurns;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection to the front door, on its event loop: reads a request, decides what the door
 * answers or forwards it, writes the answer, and only then reads the next request ({@link HttpTurns}
 * takes the turns, the deadlines and the body). See {@link FrontDoor} for the answers and the order
 * of their checks.
 *
 * <p>A body is taken as its pieces come: a message in one piece is passed on as it was read, one in
 * several is gathered into room that grows with the bytes that arrived, never what its
 * {@code Content-Length} promises; a body over {@link FrontDoor#MAX_MESSAGE_BYTES} is read to its
 * end and dropped, so that the 413 is not overtaken by a reset of the connection.
 */
final class DoorConnection extends HttpTurns {
    private static final Logger LOG = LoggerFactory.getLogger(DoorConnection.class);
    private static final Pattern PATH = Pattern.compile("/services/([^/]+)/messages/?");
    private static final String TEXT = "text/plain; charset=utf-8";

    private enum Target { FORWARD, SLOW_PARTNER, NOT_FOUND, WRONG_METHOD }

    private final FrontDoor door;
    private Target target;
    private String service;

    DoorConnection(FrontDoor door, Duration requestTime) {
        super(LOG, requestTime, FrontDoor.MAX_MESSAGE_BYTES, false);
        this.door = door;
    }

    @Override
    protected void head(ChannelHandlerContext ctx, HttpRequest started) {
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

    @Override
    protected boolean keeps(long bodyBytes) {
        return (target == Target.FORWARD || target == Target.SLOW_PARTNER) && bodyBytes <= FrontDoor.MAX_MESSAGE_BYTES;
    }

    @Override
    protected void whole(ChannelHandlerContext ctx) {
        switch (target) {
            case NOT_FOUND -> answer(ctx, HttpResponseStatus.NOT_FOUND, "Not found; messages go to POST /services/{name}/messages");
            case WRONG_METHOD -> {
                FullHttpResponse response = text(HttpResponseStatus.METHOD_NOT_ALLOWED, "Use POST");
                response.headers().set(HttpHeaderNames.ALLOW, "POST");
                send(ctx, response);
            }
            case SLOW_PARTNER -> slowPartner(ctx);
            case FORWARD -> route(ctx);
        }
    }

    @Override
    protected void forget() {
        target = null;
    }

    private boolean fromWebPage() {
        return request().headers().contains(HttpHeaderNames.ORIGIN);
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
        if (!hasBody()) {
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
        ByteBuf message = takeBody();
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
        if (!hasBody()) {
            answer(ctx, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "A message may be at most " + FrontDoor.MAX_MESSAGE_BYTES + " bytes");
            return;
        }
        dropBody();
        ctx.executor().schedule(() -> {
            send(ctx, new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT, Unpooled.EMPTY_BUFFER));
        }, FrontDoor.SLOW_PARTNER_DELAY.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    protected void garbage(ChannelHandlerContext ctx, int status, Throwable cause) {
        switch (status) {
            case 431 -> answer(ctx, HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
                    "The request's headers are over " + MAX_HEADER_BYTES + " bytes; a message needs only a few short ones");
            case 414 -> answer(ctx, HttpResponseStatus.REQUEST_URI_TOO_LONG, "The request line is over " + MAX_LINE_BYTES
                    + " bytes; messages go to POST /services/{name}/messages");
            default -> answer(ctx, HttpResponseStatus.BAD_REQUEST, "This is not a well-formed HTTP/1.1 request (" + cause.getMessage()
                    + "); messages go to POST /services/{name}/messages");
        }
    }

    private static FullHttpResponse text(HttpResponseStatus status, String text) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.UTF_8)));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, TEXT);
        return response;
    }

    private void answer(ChannelHandlerContext ctx, HttpResponseStatus status, String text) {
        send(ctx, text(status, text));
    }

    /** Writes the answer with its length; {@link HttpTurns#send} says what follows. */
    private void send(ChannelHandlerContext ctx, FullHttpResponse response) {
        HttpUtil.setContentLength(response, response.content().readableBytes());
        send(ctx, response, null);
    }
}
