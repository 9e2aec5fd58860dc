/**
 * The runtime on this machine: the host that runs integration services as role-instance
 * processes, applies lifecycle operations to them, serves their front door and keeps their state.
 * The console never uses this package directly; it goes through {@code org.sluice.fleet}.
 */
package org.sluice.runtime;
