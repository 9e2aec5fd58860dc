package org.sluice.runtime.kubernetes;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A pod's address that outlives the process behind it: connections to it are passed on to the
 * instance now running there, and {@link #restartAs} plays a container Kubernetes restarts in its
 * pod: every open connection is cut at once, as a process's death cuts them, and later ones reach
 * the new process. The address stays the same, as a pod's IP does.
 */
final class PodAddress implements AutoCloseable {
    private final ServerSocket listening;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile InetSocketAddress process;

    private PodAddress(ServerSocket listening, InetSocketAddress process) {
        this.listening = listening;
        this.process = process;
    }

    /** Listens at {@code at} and passes each connection on to {@code process}. */
    static PodAddress open(InetSocketAddress at, InetSocketAddress process) throws IOException {
        ServerSocket listening = new ServerSocket();
        listening.setReuseAddress(true);
        listening.bind(at, 64);
        PodAddress pod = new PodAddress(listening, process);
        Thread.ofVirtual().name("pod-address-" + at).start(pod::accept);
        return pod;
    }

    private void accept() {
        while (!listening.isClosed()) {
            Socket in;
            try {
                in = listening.accept();
            } catch (IOException closed) {
                return;
            }
            Socket out = new Socket();
            try {
                out.connect(process, 5000);
            } catch (IOException refused) {
                close(in);
                close(out);
                continue;
            }
            open.add(in);
            open.add(out);
            Thread.ofVirtual().start(() -> copy(in, out));
            Thread.ofVirtual().start(() -> copy(out, in));
        }
    }

    private void copy(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException cut) {
            // One side went: the other goes with it below.
        } finally {
            close(from);
            close(to);
        }
    }

    /** The process behind the address is replaced by {@code next}: open connections are cut, later ones reach it. */
    void restartAs(InetSocketAddress next) {
        process = next;
        for (Socket socket : open) {
            close(socket);
        }
    }

    private void close(Socket socket) {
        open.remove(socket);
        try {
            // A reset, as the death of a process gives, rather than an orderly end of the stream.
            socket.setSoLinger(true, 0);
            socket.close();
        } catch (IOException e) {
            // Closed already.
        }
    }

    @Override
    public void close() {
        try {
            listening.close();
        } catch (IOException e) {
            // Closed already.
        }
        for (Socket socket : open) {
            close(socket);
        }
    }
}
