/**
 * Who may use a host's management API, and how they reach it safely: the issuer's keys
 * ({@link org.sluice.runtime.access.HostKeys}), kept as hashes in the host's database and in the
 * clear only in the owner-only {@code DATA/keys.json}, and the certificate the API is served with
 * ({@link org.sluice.runtime.access.HostCertificate}), made by the host on its first start or
 * given by the operator.
 *
 * <p>This package knows the store and the owner-only file helpers; it knows nothing of the host or
 * of HTTP. A server asks it whether a credential is accepted and for the TLS context to serve with.
 */
package org.sluice.runtime.access;
