/**
 * The incident bundle: one zip with the evidence of a throttle incident, gathered through the
 * {@link org.sluice.fleet.Fleet} alone so that a local host and a remote one give the same bundle.
 */
package org.sluice.fleet.bundle;
