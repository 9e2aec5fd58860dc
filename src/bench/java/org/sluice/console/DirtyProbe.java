package org.sluice.console;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;

import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;

/**
 * With {@code -Dbench.dirtyProbe=true}, prints after each pulse's layout the nodes that will be
 * copied to the render graph, when none of them is both shown and inside the window: such a pulse
 * has nothing to paint where it can be seen, and JavaFX then paints the whole window. Each node is
 * given with its dirty bits and its first ancestors; a node with no bits is the scene's root, marked
 * by a change of style somewhere below it. It reads JavaFX's private fields, so it is a benchmark's
 * tool only (docs/perf.md, "Whole-window repaints from hidden tabs").
 */
final class DirtyProbe {
    private final Scene scene;
    private final Field nodes;
    private final Field size;
    private final Field treeVisible;
    private final Field bits;
    private long pulse;

    DirtyProbe(Scene scene) {
        this.scene = scene;
        try {
            nodes = Scene.class.getDeclaredField("dirtyNodes");
            size = Scene.class.getDeclaredField("dirtyNodesSize");
            treeVisible = Node.class.getDeclaredField("treeVisible");
            nodes.setAccessible(true);
            size.setAccessible(true);
            treeVisible.setAccessible(true);
            bits = Node.class.getDeclaredField("dirtyBits");
            bits.setAccessible(true);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    void check() {
        pulse++;
        try {
            int n = size.getInt(scene);
            if (n == 0) {
                return;
            }
            Node[] dirty = (Node[]) nodes.get(scene);
            List<String> seen = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Node node = dirty[i];
                if (node == null || node.getScene() != scene) {
                    continue;
                }
                boolean visible = treeVisible.getBoolean(node);
                Bounds b = node.localToScene(node.getBoundsInLocal());
                boolean inside = b.getMaxX() > 0 && b.getMaxY() > 0 && b.getMinX() < scene.getWidth() && b.getMinY() < scene.getHeight()
                        && b.getWidth() > 0 && b.getHeight() > 0;
                StringBuilder names = new StringBuilder();
                for (Object bit : (java.util.Set<?>) bits.get(node)) {
                    names.append(bit.toString().replace("NODE_", "").toLowerCase(java.util.Locale.ROOT)).append('+');
                }
                seen.add((visible ? (inside ? "" : "outside ") : "hidden ") + names + " " + describe(node) + String.format(" @%.0f,%.0f %.0fx%.0f",
                        b.getMinX(), b.getMinY(), b.getWidth(), b.getHeight()));
            }
            System.out.println("DIRTY-PROBE " + System.nanoTime() / 1_000_000 + " n=" + n + " " + seen);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String describe(Node node) {
        StringBuilder s = new StringBuilder();
        Node at = node;
        for (int depth = 0; at != null && depth < 5; depth++, at = at.getParent()) {
            if (depth > 0) {
                s.append(" < ");
            }
            s.append(at.getClass().getSimpleName());
            if (at.getId() != null) {
                s.append('#').append(at.getId());
            }
            if (!at.getStyleClass().isEmpty()) {
                s.append('.').append(String.join(".", at.getStyleClass()));
            }
        }
        return s.toString();
    }
}
