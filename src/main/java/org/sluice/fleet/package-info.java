/**
 * The one door the console uses to see and administer services: snapshots, a stream of events
 * and commands. {@link org.sluice.fleet.Fleet} has a local implementation over the runtime on this
 * machine; a remote one over the management API can take its place without the console changing.
 *
 * <p>Everything here is a value or an interface; events arrive on a fleet thread, never on the
 * JavaFX thread, and a listener must hand them over (the console coalesces them once per pulse).
 */
package org.sluice.fleet;
