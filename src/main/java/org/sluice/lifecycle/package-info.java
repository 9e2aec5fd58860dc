/**
 * The service lifecycle: states, operations, the state chart and the transitions between them.
 *
 * <p>Pure domain code: no file or network I/O (the chart is read from a class-path resource that
 * ships inside the jar), no JavaFX, no threads of its own. Everything that administers a service,
 * whatever the entry point, goes through {@link org.sluice.lifecycle.Lifecycle} so that the chart
 * guards every operation the same way.
 */
package org.sluice.lifecycle;
