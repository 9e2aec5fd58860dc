package org.sluice.runtime;

import java.util.Locale;
import java.util.concurrent.ThreadFactory;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.ResourceLeakDetector;

/**
 * How the front door's event loops reach the network: Linux's epoll through Netty's native
 * transport where it loads (Linux on x86-64 or ARM64), Java's NIO selector everywhere else
 * (Windows, macOS, a Linux whose temporary folder cannot hold a native library). The system
 * property {@value #PROPERTY}{@code =nio} keeps the door on NIO where epoll would load, to compare
 * the two or as a way out of a native library that misbehaves
 * (docs/decisions/0056-front-door-epoll-transport.md).
 *
 * @param name the transport's name as the door logs it, {@code epoll} or {@code nio}
 * @param why  why the door uses it, in a few words
 */
record DoorTransport(String name, String why) {
    /** The system property that chooses the door's transport: {@code nio}, or {@code epoll} (the default where it loads). */
    static final String PROPERTY = "sluice.door.transport";
    static final String EPOLL = "epoll";
    static final String NIO = "nio";
    /** Netty's system property that keeps it from using {@code sun.misc.Unsafe}. */
    static final String NETTY_NO_UNSAFE = "io.netty.noUnsafe";
    /** Netty's system property that sets how it tracks buffers not released ({@code disabled}, {@code simple}, ...). */
    static final String NETTY_LEAK_DETECTION = "io.netty.leakDetection.level";

    /** The transport this JVM's door uses, as {@link #PROPERTY} and the machine allow. */
    static DoorTransport choose() {
        withoutUnsafe();
        withoutLeakTracking();
        String asked = System.getProperty(PROPERTY, "").trim().toLowerCase(Locale.ROOT);
        if (asked.equals(NIO)) {
            return new DoorTransport(NIO, PROPERTY + "=nio");
        }
        if (!asked.isEmpty() && !asked.equals(EPOLL)) {
            return fallBack(PROPERTY + "=" + asked + " is neither epoll nor nio");
        }
        if (Epoll.isAvailable()) {
            return new DoorTransport(EPOLL, asked.isEmpty() ? "the native transport loaded" : PROPERTY + "=epoll");
        }
        Throwable cause = Epoll.unavailabilityCause();
        return fallBack("epoll is not available here (" + (cause == null ? "no reason given" : cause.getMessage()) + ")");
    }

    /**
     * Turns off Netty's tracking of buffers that are never released, unless {@value #NETTY_LEAK_DETECTION}
     * is given: at its default level it records the stack of one buffer in 128, and the door takes
     * several buffers a message, which cost it 1.3&ndash;1.9 &micro;s of its 15&ndash;18 &micro;s a
     * message in the forward bench (docs/perf.md). The tests run with the default level, given in the
     * build, so that a buffer the door forgets to release is still reported there.
     */
    private static void withoutLeakTracking() {
        if (System.getProperty(NETTY_LEAK_DETECTION) == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
    }

    private static DoorTransport fallBack(String why) {
        return new DoorTransport(NIO, why);
    }

    /**
     * Keeps Netty off {@code sun.misc.Unsafe}, whose memory methods Java 24 and later warn about on
     * standard error (JEP 498) for every host start (decision 0034). Set before Netty's first class
     * is loaded; a value given on the command line is left as it is.
     */
    private static void withoutUnsafe() {
        if (System.getProperty(NETTY_NO_UNSAFE) == null) {
            System.setProperty(NETTY_NO_UNSAFE, "true");
        }
    }

    /**
     * The system property that says where the door's codecs write what they send: {@code direct}
     * (the default) or {@code heap}, to compare the two.
     */
    static final String BUFFERS = "sluice.door.buffers";

    /**
     * The buffers the door's channels take: Netty's pooled direct buffers, which it hands to the
     * socket as they are, without {@code Unsafe} (decision 0056). With {@value #BUFFERS}{@code =heap},
     * Netty's default without {@code Unsafe}: direct for what is read, heap for what the codecs
     * write, copied into a direct buffer on its way out.
     */
    static ByteBufAllocator allocator() {
        return Buffers.ALLOCATOR;
    }

    /** {@code direct} or {@code heap}: what {@link #allocator()} gives the codecs. */
    static String buffers() {
        return Buffers.ALLOCATOR == PooledByteBufAllocator.DEFAULT ? "heap" : "direct";
    }

    private static final class Buffers {
        static {
            withoutUnsafe();
        }

        static final ByteBufAllocator ALLOCATOR = "heap".equals(System.getProperty(BUFFERS))
                ? PooledByteBufAllocator.DEFAULT : new DirectFirst();
    }

    /**
     * Netty's pooled allocator, giving direct buffers where a codec asks for any buffer. Netty's
     * own "prefer direct" counts only with {@code Unsafe}, which the door goes without.
     */
    private static final class DirectFirst extends PooledByteBufAllocator {
        DirectFirst() {
            super(true);
        }

        @Override
        public ByteBuf buffer() {
            return directBuffer();
        }

        @Override
        public ByteBuf buffer(int initialCapacity) {
            return directBuffer(initialCapacity);
        }

        @Override
        public ByteBuf buffer(int initialCapacity, int maxCapacity) {
            return directBuffer(initialCapacity, maxCapacity);
        }
    }

    boolean epoll() {
        return name.equals(EPOLL);
    }

    /** {@code threads} event loops of this transport. */
    EventLoopGroup loops(int threads, ThreadFactory named) {
        return epoll() ? new EpollEventLoopGroup(threads, named) : new NioEventLoopGroup(threads, named);
    }

    /** The class of the door's listening channel, for loops of {@link #loops}. */
    Class<? extends ServerChannel> serverChannel() {
        return epoll() ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    /** The class of a connection the door opens to an instance, for loops of {@link #loops}. */
    Class<? extends SocketChannel> channel() {
        return epoll() ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    @Override
    public String toString() {
        return name + " (" + why + ")";
    }
}
