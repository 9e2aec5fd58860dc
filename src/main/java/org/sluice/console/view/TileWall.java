package org.sluice.console.view;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import javafx.geometry.Orientation;
import javafx.scene.Node;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Region;

import org.sluice.console.controls.ThrottleTile;
import org.sluice.console.viewmodel.HostViewModel;
import org.sluice.console.viewmodel.InstanceTileViewModel;
import org.sluice.fleet.group.FleetGroup;

/**
 * The dashboard's wall of tiles, grouped by host, that keeps as nodes only the tiles in or near the
 * scroll pane's view. Where every tile is, and how tall the wall is, follow by arithmetic from the
 * number of tiles in each group and the width: tiles have one size. A tile that scrolls out of
 * view goes to a pool, and one that scrolls in takes a node from it and {@linkplain
 * ThrottleTile#show(InstanceTileViewModel) shows its own instance} (decision 0032).
 *
 * <p>The wall is the scroll pane's content; it reads the pane's position to know what is in view.
 */
final class TileWall extends Region {
    static final double TILE_WIDTH = 300;
    static final double TILE_HEIGHT = 190;
    static final double GAP = 10;
    private static final double PADDING = 10;
    private static final double GROUP_SPACING = 6;
    /** Rows kept beyond each edge of the view, so that a short scroll shows tiles already drawn. */
    private static final int MARGIN_ROWS = 1;
    /** Nodes kept for tiles to come; more than a screenful is of no use. */
    private static final int MAX_SPARE = 24;

    private final ScrollPane scroll;
    private final Function<InstanceTileViewModel, ThrottleTile> newTile;
    private final Function<HostViewModel, TileGroup> newGroup;
    private final Function<String, HostViewModel> hostOf;
    private final List<TileGroup> groups = new ArrayList<>();
    private final Map<String, TileGroup> byHost = new HashMap<>();
    /** The instances with a node now, and the node. */
    private final Map<InstanceTileViewModel, ThrottleTile> shown = new IdentityHashMap<>();
    private final Deque<ThrottleTile> spare = new ArrayDeque<>();
    private int layouts;

    /**
     * @param scroll  the scroll pane this wall is the content of
     * @param newTile makes a tile node for an instance, with its handlers; the wall shows it others later
     * @param newGroup makes the group of a host, with its header
     * @param hostOf  the host of a host name
     */
    TileWall(ScrollPane scroll, Function<InstanceTileViewModel, ThrottleTile> newTile, Function<HostViewModel, TileGroup> newGroup,
             Function<String, HostViewModel> hostOf) {
        this.scroll = scroll;
        this.newTile = newTile;
        this.newGroup = newGroup;
        this.hostOf = hostOf;
        setId("tile-wall");
        scroll.vvalueProperty().addListener(o -> requestLayout());
        // The pane sets new bounds at each of its layouts, and at each scroll; only a view of another
        // size asks for a layout here (a scroll has asked already), or each layout would ask for the next.
        scroll.viewportBoundsProperty().addListener((o, was, now) -> {
            if (was == null || was.getWidth() != now.getWidth() || was.getHeight() != now.getHeight()) {
                requestLayout();
            }
        });
    }

    /** Adds an instance's tile at the end of its host's group, making the group if it is the host's first. */
    void add(InstanceTileViewModel model) {
        String host = FleetGroup.hostOf(model.service());
        TileGroup group = byHost.get(host);
        if (group == null) {
            group = newGroup.apply(hostOf.apply(host));
            byHost.put(host, group);
            groups.add(group);
            getChildren().add(group);
        }
        if (!group.models.contains(model)) {
            group.models.add(model);
            requestLayout();
        }
    }

    /** Takes an instance's tile away; its host's group goes with its last tile. */
    void remove(InstanceTileViewModel model) {
        String host = FleetGroup.hostOf(model.service());
        TileGroup group = byHost.get(host);
        if (group == null || !group.models.remove(model)) {
            return;
        }
        ThrottleTile tile = shown.remove(model);
        if (tile != null) {
            release(group, tile);
        }
        if (group.models.isEmpty()) {
            byHost.remove(host);
            groups.remove(group);
            getChildren().remove(group);
        }
        requestLayout();
    }

    /** Puts the groups in the hosts' order; a host not in it goes last. */
    void order(List<HostViewModel> hosts) {
        List<TileGroup> sorted = new ArrayList<>(groups);
        sorted.sort(Comparator.comparingInt(g -> {
            int at = hosts.indexOf(g.host());
            return at < 0 ? Integer.MAX_VALUE : at;
        }));
        if (!sorted.equals(groups)) {
            groups.clear();
            groups.addAll(sorted);
            requestLayout();
        }
    }

    /** The tiles that have a node now, by instance. */
    Map<InstanceTileViewModel, ThrottleTile> shownTiles() {
        return Collections.unmodifiableMap(shown);
    }

    /** Every tile node the wall holds, shown or spare; for letting go of them all. */
    List<ThrottleTile> allTiles() {
        List<ThrottleTile> all = new ArrayList<>(shown.values());
        all.addAll(spare);
        return all;
    }

    @Override
    public Orientation getContentBias() {
        return Orientation.HORIZONTAL;
    }

    @Override
    protected double computePrefWidth(double height) {
        return 2 * PADDING + TILE_WIDTH * 3 + GAP * 2;
    }

    @Override
    protected double computeMinWidth(double height) {
        return 2 * PADDING + TILE_WIDTH;
    }

    @Override
    protected double computePrefHeight(double width) {
        int columns = columns(width < 0 ? computePrefWidth(-1) : width);
        double height = 2 * PADDING;
        for (int i = 0; i < groups.size(); i++) {
            height += groups.get(i).height(columns) + (i > 0 ? GROUP_SPACING : 0);
        }
        return height;
    }

    @Override
    protected double computeMinHeight(double width) {
        return computePrefHeight(width);
    }

    /** How many tiles fit across {@code width}, at least one. */
    static int columns(double width) {
        return Math.max(1, (int) Math.floor((width - 2 * PADDING + GAP) / (TILE_WIDTH + GAP)));
    }

    @Override
    protected void layoutChildren() {
        layouts++;
        double width = getWidth();
        int columns = columns(width);
        double[] view = viewRange();
        Map<InstanceTileViewModel, double[]> wanted = new IdentityHashMap<>();
        Map<InstanceTileViewModel, TileGroup> groupOf = new IdentityHashMap<>();
        double y = PADDING;
        for (TileGroup group : groups) {
            double height = group.height(columns);
            group.resizeRelocate(PADDING, y, Math.max(0, width - 2 * PADDING), height);
            double tilesTop = y + group.headerHeight();
            int rows = group.rows(columns);
            double row = TILE_HEIGHT + GAP;
            int first = Math.max(0, (int) Math.floor((view[0] - tilesTop) / row) - MARGIN_ROWS);
            int last = Math.min(rows - 1, (int) Math.floor((view[1] - tilesTop) / row) + MARGIN_ROWS);
            for (int r = first; r <= last; r++) {
                for (int c = 0; c < columns; c++) {
                    int at = r * columns + c;
                    if (at >= group.models.size()) {
                        break;
                    }
                    InstanceTileViewModel model = group.models.get(at);
                    wanted.put(model, new double[] {c * (TILE_WIDTH + GAP), r * row});
                    groupOf.put(model, group);
                }
            }
            y += height + GROUP_SPACING;
        }
        // Nodes of tiles gone from view first, so that those coming into view can take them.
        for (var entry : new ArrayList<>(shown.entrySet())) {
            if (!wanted.containsKey(entry.getKey())) {
                shown.remove(entry.getKey());
                release(groupHolding(entry.getValue()), entry.getValue());
            }
        }
        for (var entry : wanted.entrySet()) {
            InstanceTileViewModel model = entry.getKey();
            ThrottleTile tile = shown.get(model);
            if (tile == null) {
                tile = spare.isEmpty() ? newTile.apply(model) : spare.pop();
                tile.show(model);
                groupOf.get(model).tiles.getChildren().add(tile);
                // Styled now: it is drawn in this pulse, before the next CSS pass would reach it.
                tile.applyCss();
                shown.put(model, tile);
            }
            tile.resizeRelocate(entry.getValue()[0], entry.getValue()[1], TILE_WIDTH, TILE_HEIGHT);
        }
    }

    /** The part of the wall in the scroll pane's view, top and bottom in the wall's coordinates. */
    private double[] viewRange() {
        double viewHeight = scroll.getViewportBounds().getHeight();
        double range = scroll.getVmax() - scroll.getVmin();
        double offset = range <= 0 ? 0 : (scroll.getVvalue() - scroll.getVmin()) / range * Math.max(0, getHeight() - viewHeight);
        return new double[] {offset, offset + viewHeight};
    }

    private TileGroup groupHolding(ThrottleTile tile) {
        Node parent = tile.getParent();
        for (TileGroup group : groups) {
            if (group.tiles == parent) {
                return group;
            }
        }
        return null;
    }

    private void release(TileGroup group, ThrottleTile tile) {
        if (group != null) {
            group.tiles.getChildren().remove(tile);
        } else if (tile.getParent() instanceof Pane pane) {
            pane.getChildren().remove(tile);
        }
        if (spare.size() < MAX_SPARE) {
            spare.push(tile);
        } else {
            tile.dispose();
        }
    }

    /** How many times the wall was laid out, for tests. */
    int layoutCount() {
        return layouts;
    }

    /** The instances a tile node holds now, for tests: the keys of the tiles in or near the view. */
    Set<String> shownKeys() {
        Set<String> keys = new java.util.TreeSet<>();
        shown.keySet().forEach(m -> keys.add(m.key()));
        return keys;
    }

    /**
     * One host's tiles under a header; the wall places the group, the header and the tiles. The
     * header and the {@code :stale} mark are the dashboard's business.
     */
    static final class TileGroup extends Region {
        private final HostViewModel host;
        private final Region header;
        private final List<InstanceTileViewModel> models = new ArrayList<>();
        /** The nodes of this group's tiles in view; the wall places them. */
        private final Pane tiles = new Pane() {
            @Override
            protected void layoutChildren() {
                // The wall has placed every tile.
            }
        };

        TileGroup(HostViewModel host, Region header) {
            this.host = host;
            this.header = header;
            getStyleClass().add("tile-group");
            tiles.getStyleClass().add("tile-group-tiles");
            getChildren().setAll(header, tiles);
        }

        HostViewModel host() {
            return host;
        }

        /** Marks the group as the host's connection being down. */
        void stale(boolean stale) {
            pseudoClassStateChanged(HostsBar.STALE, stale);
        }

        double headerHeight() {
            return header.isManaged() ? snapSizeY(header.prefHeight(-1)) : 0;
        }

        int rows(int columns) {
            return (models.size() + columns - 1) / columns;
        }

        double height(int columns) {
            int rows = rows(columns);
            return headerHeight() + (rows == 0 ? 0 : rows * TILE_HEIGHT + (rows - 1) * GAP);
        }

        @Override
        protected void layoutChildren() {
            double headerHeight = headerHeight();
            if (header.isManaged()) {
                header.resizeRelocate(0, 0, getWidth(), headerHeight);
            }
            tiles.resizeRelocate(0, headerHeight, getWidth(), Math.max(0, getHeight() - headerHeight));
        }
    }
}
