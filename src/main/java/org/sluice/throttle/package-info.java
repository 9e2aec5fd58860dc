/**
 * Throttling of one role instance: the fixed thresholds, the hysteresis governor that turns
 * samples into throttle transitions, and the episodes it records.
 *
 * <p>Pure domain code: no I/O, no JavaFX, no threads; time comes from the samples and from an
 * injected clock.
 */
package org.sluice.throttle;
