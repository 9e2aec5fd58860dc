/**
 * View models of the console: observable state and commands, built on {@code javafx.beans} and
 * {@code javafx.collections} only, never the scene graph, so that they are tested without the toolkit.
 * Every method is called on the JavaFX thread (or a test's thread); work that may block goes
 * through {@link org.sluice.console.viewmodel.BackgroundExecutor}.
 */
package org.sluice.console.viewmodel;
