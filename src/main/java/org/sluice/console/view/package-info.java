/**
 * Views of the console, built in code. A view lays out controls and binds them to view models from
 * {@link org.sluice.console.viewmodel}: whether an action is enabled, and which operations the grid,
 * the bulk menu and the log filter offer, come from the view model, which has the lifecycle rules.
 * Views are made from the controls of {@link org.sluice.console.controls}, never the other way
 * round, and they ask the user through {@link org.sluice.console.view.FxDialogService}, the
 * toolkit's side of the view models' {@link org.sluice.console.viewmodel.DialogService}.
 */
package org.sluice.console.view;
