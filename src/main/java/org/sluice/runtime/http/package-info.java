/**
 * The shape of an HTTP connection on an event loop that Sluice's two servers share: the front door
 * of a host and the endpoint of a role instance ({@link org.sluice.runtime.http.HttpTurns}).
 *
 * <p>This package knows Netty and nothing of the host or of an instance, so that both may use it
 * without the instance's package coming to depend on the host's.
 */
package org.sluice.runtime.http;
