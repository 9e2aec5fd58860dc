/**
 * Custom controls of the console, drawn on the scene graph and styled only through the theme's
 * looked-up colors. They show view models from {@link org.sluice.console.viewmodel}; they hold no
 * state of their own beyond what they draw.
 *
 * <p>Controls sit below the views: a view may use any control, a control never uses a view (the
 * architecture test says so). That is why {@link org.sluice.console.controls.Icons}, the one map
 * from states and operations to glyphs, lives here: the grid's cells need it as much as the menus.
 * A control that draws on a canvas keeps the drawing apart from the control:
 * {@link org.sluice.console.controls.ThrottleTile} owns its CSS properties, layout, flash and when to
 * redraw, and {@code ThrottleTilePainter} draws the charts from what the tile hands it.
 */
package org.sluice.console.controls;
