/**
 * View models of the console: observable state and commands, built on {@code javafx.beans} and
 * {@code javafx.collections} only, never the scene graph, so that they are tested without the toolkit.
 * Every method is called on the JavaFX thread (or a test's thread); work that may block goes
 * through {@link org.sluice.console.viewmodel.BackgroundExecutor}.
 *
 * <p>Each view model has one job. {@link org.sluice.console.viewmodel.ServicesViewModel} is the grid
 * and what starts from its selection; {@link org.sluice.console.viewmodel.BulkActionViewModel}
 * previews and runs one operation on many services; {@link org.sluice.console.viewmodel.NoticesViewModel}
 * keeps what the user was told, which the others post to;
 * {@link org.sluice.console.viewmodel.ServiceDetailsViewModel} and
 * {@link org.sluice.console.viewmodel.DashboardViewModel} follow the selected service and the
 * throttle wall; {@link org.sluice.console.viewmodel.HostsViewModel} keeps the hosts, the
 * console's own and the remote ones, with each connection's state, which the rows of a host
 * follow to know when what they show is stale. None of them reaches for the standard lifecycle: the rules are passed in, and the
 * views learn the operations to offer from their view model.
 */
package org.sluice.console.viewmodel;
