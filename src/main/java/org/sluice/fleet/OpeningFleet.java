package org.sluice.fleet;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

import org.sluice.lifecycle.BackupInfo;
import org.sluice.lifecycle.InstanceLog;
import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.OperationQuery;
import org.sluice.lifecycle.OperationRecord;
import org.sluice.lifecycle.ServiceDefinition;
import org.sluice.throttle.InstanceEpisode;
import org.sluice.throttle.SampleWindow;

/**
 * A fleet that is still being opened (a local host reading its store, a remote one being
 * reached), so that a console can build its window meanwhile.
 *
 * <p>Subscriptions taken before it opens are attached when it opens, before any caller waiting
 * for it goes on: an event can never fall between a subscription and a snapshot. Every other
 * call waits, on the caller's thread, until the fleet is open, and then goes to it; if opening
 * failed, it throws {@link FleetUnavailableException} with the reason. Callers call it off the
 * user-interface thread, as they call any fleet.
 */
public final class OpeningFleet implements Fleet {
    private final Object lock = new Object();
    private final CountDownLatch settled = new CountDownLatch(1);
    private final List<Pending> pending = new ArrayList<>();
    private Fleet opened;
    private Throwable failure;
    private boolean closed;

    /** A subscription taken before the fleet opened. */
    private final class Pending implements Subscription {
        final FleetListener listener;
        Subscription attached;
        boolean cancelled;

        Pending(FleetListener listener) {
            this.listener = listener;
        }

        @Override
        public void close() {
            Subscription detach;
            synchronized (lock) {
                cancelled = true;
                pending.remove(this);
                detach = attached;
            }
            if (detach != null) {
                detach.close();
            }
        }
    }

    /** The fleet is open: pending subscriptions are attached, then waiting callers go on. */
    public void opened(Fleet fleet) {
        Objects.requireNonNull(fleet, "fleet");
        boolean closeIt;
        synchronized (lock) {
            if (opened != null || failure != null) {
                throw new IllegalStateException("The fleet has been settled already");
            }
            opened = fleet;
            closeIt = closed;
            if (!closed) {
                for (Pending subscription : pending) {
                    subscription.attached = fleet.subscribe(subscription.listener);
                }
            }
            pending.clear();
        }
        settled.countDown();
        if (closeIt) {
            fleet.close();
        }
    }

    /** The fleet could not be opened: every waiting and later call throws with this reason. */
    public void failed(Throwable reason) {
        Objects.requireNonNull(reason, "reason");
        synchronized (lock) {
            if (opened != null || failure != null) {
                throw new IllegalStateException("The fleet has been settled already");
            }
            failure = reason;
            pending.clear();
        }
        settled.countDown();
    }

    /** Whether the fleet is open now. */
    public boolean isOpen() {
        synchronized (lock) {
            return opened != null;
        }
    }

    private Fleet fleet() {
        try {
            settled.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FleetUnavailableException("Interrupted while the fleet was being opened", e);
        }
        synchronized (lock) {
            if (failure != null) {
                throw new FleetUnavailableException("The fleet could not be opened: " + failure.getMessage(), failure);
            }
            return opened;
        }
    }

    private <T> T call(Function<Fleet, T> call) {
        return call.apply(fleet());
    }

    @Override
    public Subscription subscribe(FleetListener listener) {
        Objects.requireNonNull(listener, "listener");
        synchronized (lock) {
            if (opened != null) {
                return opened.subscribe(listener);
            }
            Pending subscription = new Pending(listener);
            if (failure == null) {
                pending.add(subscription);
            }
            return subscription;
        }
    }

    @Override
    public FleetSnapshot snapshot() {
        return call(Fleet::snapshot);
    }

    @Override
    public OperationTicket create(ServiceDefinition definition) {
        return call(f -> f.create(definition));
    }

    @Override
    public OperationTicket perform(String service, Operation operation) {
        return call(f -> f.perform(service, operation));
    }

    @Override
    public OperationTicket scale(String service, int units) {
        return call(f -> f.scale(service, units));
    }

    @Override
    public OperationTicket updateConfiguration(String service, ServiceDefinition definition) {
        return call(f -> f.updateConfiguration(service, definition));
    }

    @Override
    public OperationTicket restore(String backupId, String newName) {
        return call(f -> f.restore(backupId, newName));
    }

    @Override
    public List<OperationTicket> disableAccount() {
        return call(Fleet::disableAccount);
    }

    @Override
    public List<OperationTicket> enableAccount() {
        return call(Fleet::enableAccount);
    }

    @Override
    public void injectFault(String service, Operation operation) {
        fleet().injectFault(service, operation);
    }

    @Override
    public List<OperationRecord> operations(OperationQuery query) {
        return call(f -> f.operations(query));
    }

    @Override
    public Optional<OperationRecord> operation(String requestId) {
        return call(f -> f.operation(requestId));
    }

    @Override
    public List<InstanceEpisode> episodes(String service, long fromMs, long toMs) {
        return call(f -> f.episodes(service, fromMs, toMs));
    }

    @Override
    public List<BackupInfo> backups(String service) {
        return call(f -> f.backups(service));
    }

    @Override
    public SampleWindow samples(String service, int index, long fromMs, long toMs) {
        return call(f -> f.samples(service, index, fromMs, toMs));
    }

    @Override
    public InstanceLog instanceLog(String service, int index, InstanceLog.Run run, long offset, int maxBytes) {
        return call(f -> f.instanceLog(service, index, run, offset, maxBytes));
    }

    @Override
    public String endpoint(String service) {
        return call(f -> f.endpoint(service));
    }

    /**
     * Closes the fleet if it is open; one that opens later is closed as soon as it does. Does
     * not wait for the opening.
     */
    @Override
    public void close() {
        Fleet closing;
        synchronized (lock) {
            closed = true;
            closing = opened;
            pending.clear();
        }
        if (closing != null) {
            closing.close();
        }
    }
}
