package org.sluice.runtime.instance;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The instance's worker threads: one queue of tasks, idle workers woken newest first, and no more
 * threads than the tasks in hand have needed.
 *
 * <p>A {@link java.util.concurrent.ThreadPoolExecutor} whose core size is its bound starts a new
 * thread at every task until it has them all, even while others are idle, and then wakes the
 * worker that has waited longest. Here a task is handed to the worker that went idle last (the
 * warmest); a thread is started only when no worker is idle; a worker that has done its task takes
 * the next queued one without sleeping. Nothing is locked: the loop that hands out tasks never
 * waits for a worker. Idle workers end after {@code keepAlive}.
 *
 * <p>A worker that finds the queue empty may look again for up to {@code spinNanos} before it
 * sleeps (0: it sleeps at once); while it looks, a new task is left to it.
 */
final class WarmWorkers extends AbstractExecutorService {
    private static final int RUNNING = 0;
    private static final int IDLE = 1;
    private static final int CLAIMED = 2;
    private static final int HANDED = 3;
    private static final int ENDED = 4;

    private final int max;
    private final long keepAliveNanos;
    private final long spinNanos;
    private final ThreadFactory factory;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /** Idle workers, the one that went idle last on top; a node whose worker is no longer idle is skipped. */
    private final AtomicReference<Node> idle = new AtomicReference<>();
    private final AtomicInteger threads = new AtomicInteger();
    private final AtomicInteger looking = new AtomicInteger();
    private final Set<Thread> all = ConcurrentHashMap.newKeySet();
    private final Object ended = new Object();
    private volatile boolean shutdown;

    WarmWorkers(int max, long keepAlive, TimeUnit unit, long spinNanos, ThreadFactory factory) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1, was " + max);
        }
        this.max = max;
        this.keepAliveNanos = unit.toNanos(keepAlive);
        this.spinNanos = Math.max(0, spinNanos);
        this.factory = factory;
    }

    private record Node(Worker worker, Node next) {
    }

    private final class Worker implements Runnable {
        final AtomicInteger state = new AtomicInteger(RUNNING);
        volatile Runnable handed;
        Thread thread;

        @Override
        public void run() {
            try {
                work(this);
            } finally {
                all.remove(thread);
                if (threads.decrementAndGet() == 0) {
                    synchronized (ended) {
                        ended.notifyAll();
                    }
                }
                // A task queued while this worker ended, with no room for another thread then.
                if (!shutdown && !tasks.isEmpty()) {
                    startIfRoom();
                }
            }
        }
    }

    @Override
    public void execute(Runnable task) {
        if (task == null) {
            throw new NullPointerException("task");
        }
        if (shutdown) {
            throw new RejectedExecutionException("the workers are shut down");
        }
        for (Node top = idle.get(); top != null; top = idle.get()) {
            if (idle.compareAndSet(top, top.next())) {
                Worker worker = top.worker();
                if (worker.state.compareAndSet(IDLE, CLAIMED)) {
                    worker.handed = task;
                    worker.state.set(HANDED);
                    LockSupport.unpark(worker.thread);
                    return;
                }
                // It had found work of its own meanwhile, or ended: try the next one.
            }
        }
        tasks.offer(task);
        if (looking.get() == 0) {
            startIfRoom();
        }
    }

    private void startIfRoom() {
        for (int now = threads.get(); now < max; now = threads.get()) {
            if (threads.compareAndSet(now, now + 1)) {
                Worker worker = new Worker();
                Thread thread = factory.newThread(worker);
                if (thread == null) {
                    threads.decrementAndGet();
                    throw new RejectedExecutionException("no thread for a worker");
                }
                worker.thread = thread;
                all.add(thread);
                thread.start();
                return;
            }
        }
    }

    private void work(Worker me) {
        Runnable task = null;
        Runnable after = null;
        while (true) {
            if (task == null) {
                task = after != null ? after : tasks.poll();
                after = null;
            }
            if (task == null && spinNanos > 0 && !shutdown) {
                looking.incrementAndGet();
                long until = System.nanoTime() + spinNanos;
                do {
                    Thread.onSpinWait();
                    task = tasks.poll();
                } while (task == null && System.nanoTime() - until < 0);
                looking.decrementAndGet();
            }
            if (task != null) {
                try {
                    task.run();
                } catch (RuntimeException | Error e) {
                    Thread.UncaughtExceptionHandler handler = me.thread.getUncaughtExceptionHandler();
                    if (handler != null) {
                        handler.uncaughtException(me.thread, e);
                    }
                }
                Thread.interrupted();
                task = null;
                continue;
            }
            if (shutdown) {
                return;
            }
            me.state.set(IDLE);
            push(me);
            // A task queued just before this worker showed itself idle would otherwise wait.
            Runnable queued = tasks.poll();
            if (queued != null) {
                if (me.state.compareAndSet(IDLE, RUNNING)) {
                    task = queued;
                    continue;
                }
                after = queued;
            }
            long deadline = System.nanoTime() + keepAliveNanos;
            while (me.state.get() == IDLE) {
                long left = deadline - System.nanoTime();
                if (shutdown || left <= 0) {
                    if (me.state.compareAndSet(IDLE, ENDED)) {
                        return;
                    }
                    break;
                }
                LockSupport.parkNanos(this, left);
            }
            // Handed a task: it is there once the state says so.
            while (me.state.get() == CLAIMED) {
                Thread.onSpinWait();
            }
            task = me.handed;
            me.handed = null;
            me.state.set(RUNNING);
        }
    }

    private void push(Worker worker) {
        Node top;
        do {
            top = idle.get();
        } while (!idle.compareAndSet(top, new Node(worker, top)));
    }

    @Override
    public void shutdown() {
        shutdown = true;
        all.forEach(LockSupport::unpark);
        synchronized (ended) {
            ended.notifyAll();
        }
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown = true;
        List<Runnable> left = new ArrayList<>();
        for (Runnable task = tasks.poll(); task != null; task = tasks.poll()) {
            left.add(task);
        }
        all.forEach(Thread::interrupt);
        shutdown();
        return left;
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        return shutdown && threads.get() == 0;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        synchronized (ended) {
            while (!isTerminated()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(ended, left);
            }
            return true;
        }
    }

    /** How many worker threads there are now (for tests and benchmarks). */
    int threadCount() {
        return threads.get();
    }
}
