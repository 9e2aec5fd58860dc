/**
 * What the host keeps across restarts: the {@link org.sluice.runtime.store.HostJournal} it writes
 * to and {@link org.sluice.runtime.store.Store}, the SQLite database that implements it
 * ({@code docs/decisions/0007-embedded-store.md}). The same database keeps the hashes of the
 * management API's keys ({@link org.sluice.runtime.store.StoredKeyHash}), which the host and
 * {@code sluice keys} read and write.
 *
 * <p>The journal deals in the domain's own records from {@code org.sluice.lifecycle} and
 * {@code org.sluice.throttle}, plus {@link org.sluice.runtime.store.StoredService}; this package
 * does not depend on the host in {@code org.sluice.runtime}, which depends on it.
 */
package org.sluice.runtime.store;
