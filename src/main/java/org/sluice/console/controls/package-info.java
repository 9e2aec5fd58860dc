/**
 * Custom controls of the console, drawn on the scene graph and styled only through the theme's
 * looked-up colors. They show view models from {@link org.sluice.console.viewmodel}; they hold no
 * state of their own beyond what they draw.
 */
package org.sluice.console.controls;
