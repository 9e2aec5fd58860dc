package org.sluice.runtime.http;

import java.util.ArrayDeque;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpStatusClass;

/**
 * The HTTP/1.1 codec of the door's and the instances' connections: Netty's request decoder and
 * response encoder, with one refusal more than Netty's server codec makes.
 *
 * <p>A request whose head gives both a {@code Content-Length} and a {@code Transfer-Encoding}
 * comes out malformed, so it is answered 400 and its connection closed, and nothing sent after it
 * on that connection is read. Netty would read its body by the transfer coding and go on reading
 * the connection; something in front of the server that went by the length would then see other
 * requests on it than the server did (RFC 9112, section 6.1, asks at least for the close).
 *
 * <p>An answer to a {@code HEAD} request is written without its body, as the methods of the
 * requests decoded and not yet answered are kept in order.
 */
final class ServerCodec extends CombinedChannelDuplexHandler<HttpRequestDecoder, HttpResponseEncoder> {
    /** Why such a request is refused; it ends up in the answer's text. */
    static final String TWO_FRAMINGS = "it gives both Content-Length and Transfer-Encoding";

    private final ArrayDeque<HttpMethod> unanswered = new ArrayDeque<>();

    ServerCodec(HttpDecoderConfig config) {
        init(new Requests(config), new Answers());
    }

    private final class Requests extends HttpRequestDecoder {
        Requests(HttpDecoderConfig config) {
            super(config);
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
            int from = out.size();
            super.decode(ctx, buffer, out);
            for (int i = from; i < out.size(); i++) {
                if (out.get(i) instanceof HttpRequest request) {
                    unanswered.add(request.method());
                }
            }
        }

        @Override
        protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
            super.handleTransferEncodingChunkedWithContentLength(message);
            message.setDecoderResult(DecoderResult.failure(new IllegalArgumentException(TWO_FRAMINGS)));
        }
    }

    private final class Answers extends HttpResponseEncoder {
        @Override
        protected boolean isContentAlwaysEmpty(HttpResponse answer) {
            if (answer.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
                // A 100 Continue comes before its request's answer, which is still to come.
                return super.isContentAlwaysEmpty(answer);
            }
            return HttpMethod.HEAD.equals(unanswered.poll()) || super.isContentAlwaysEmpty(answer);
        }
    }
}
