package org.sluice.console.viewmodel;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import javafx.beans.binding.Bindings;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ChangeListener;
import javafx.beans.value.WeakChangeListener;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;

import org.sluice.fleet.Fleet;
import org.sluice.lifecycle.InstanceLog;

/**
 * One role instance's log, as the service details show it: the tail first, then what the instance
 * writes, read at most once a second while following. Only the last {@value #MAX_LINES} lines are
 * kept, and the user is told so; the rest stays in the host's log. Reads run in the background and
 * their lines are added on the next pulse, in one change.
 */
public final class InstanceLogViewModel {
    /** The most lines the console holds for one log. */
    static final int MAX_LINES = 2_000;
    /** How often a followed log is read again. */
    static final long READ_EVERY_MS = 1_000;

    private final Fleet fleet;
    private final BackgroundExecutor executor;
    private final I18n i18n;
    private final ObservableList<String> lines = FXCollections.observableArrayList();
    private final FilteredList<String> shown = new FilteredList<>(lines);
    private final StringProperty search = new SimpleStringProperty(this, "search", "");
    private final BooleanProperty follow = new SimpleBooleanProperty(this, "follow", true);
    private final ObjectProperty<InstanceLog.Run> run = new SimpleObjectProperty<>(this, "run", InstanceLog.Run.CURRENT);
    private final ReadOnlyStringWrapper service = new ReadOnlyStringWrapper(this, "service");
    private final ReadOnlyObjectWrapper<Integer> instance = new ReadOnlyObjectWrapper<>(this, "instance");
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "");
    private final ReadOnlyBooleanWrapper previousKept = new ReadOnlyBooleanWrapper(this, "previousKept");

    /** Which log is shown; a read answered for an older one is dropped. */
    private long generation;
    private long offset = -1;
    /** The run whose log was read last, as the host numbers runs; unknown before, or from a host that does not. */
    private long seenRun = InstanceLog.UNKNOWN_RUN;
    private long lastReadMs;
    private boolean reading;
    private boolean read;
    private Read pending;
    /** Why the last read failed, as words said again in the language the console switches to. */
    private Phrase error;
    private boolean older;
    private boolean passedOver;
    private boolean startedAgain;
    /**
     * The "started again" marks among the lines, by identity: a line the instance wrote with the
     * same words is not one of them.
     */
    private final java.util.Set<String> marks = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    /** Says the marks and the status again when the language changes; held here, as the console's words hold it weakly. */
    private final ChangeListener<Locale> sayAgain = (o, was, now) -> {
        sayMarksAgain();
        updateStatus();
    };

    public InstanceLogViewModel(Fleet fleet, BackgroundExecutor executor, I18n i18n) {
        this.fleet = fleet;
        this.executor = executor;
        this.i18n = i18n;
        shown.predicateProperty().bind(Bindings.createObjectBinding(() -> {
            String text = search.get() == null ? "" : search.get().strip().toLowerCase(Locale.ROOT);
            return text.isEmpty() ? null : line -> line.toLowerCase(Locale.ROOT).contains(text);
        }, search));
        search.addListener((o, a, b) -> updateStatus());
        // The status line speaks the new language at once; the log and its tabs outlive a switch.
        // Weakly: a closed log tab's model is not kept by the console's words.
        i18n.localeProperty().addListener(new WeakChangeListener<>(sayAgain));
        run.addListener((o, a, b) -> restart());
    }

    /** Every line held, oldest first. */
    public ObservableList<String> lines() {
        return lines;
    }

    /** The lines that contain the search text, or all of them. */
    public ObservableList<String> shownLines() {
        return shown;
    }

    public StringProperty searchProperty() {
        return search;
    }

    /** True to read on as the instance writes; the previous run's log is read once. */
    public BooleanProperty followProperty() {
        return follow;
    }

    public ObjectProperty<InstanceLog.Run> runProperty() {
        return run;
    }

    public ReadOnlyStringProperty serviceProperty() {
        return service.getReadOnlyProperty();
    }

    /** The instance whose log is shown, or {@code null}. */
    public ReadOnlyObjectProperty<Integer> instanceProperty() {
        return instance.getReadOnlyProperty();
    }

    /** What the user should know about the lines shown: held back, passed over, started again, not readable. */
    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** True when the host keeps the log of the instance's run before this one. */
    public ReadOnlyBooleanProperty previousKeptProperty() {
        return previousKept.getReadOnlyProperty();
    }

    /** Shows the log of {@code service}'s instance {@code index}, or nothing when either is {@code null}. */
    public void show(String service, Integer index) {
        this.service.set(index == null ? null : service);
        this.instance.set(service == null ? null : index);
        restart();
    }

    private void restart() {
        generation++;
        lines.clear();
        marks.clear();
        offset = -1;
        seenRun = InstanceLog.UNKNOWN_RUN;
        lastReadMs = Long.MIN_VALUE / 2;
        reading = false;
        read = false;
        pending = null;
        error = null;
        older = false;
        passedOver = false;
        startedAgain = false;
        previousKept.set(false);
        updateStatus();
    }

    /** Once per pulse: adds what the last read brought, and reads again when it is time. */
    public void tick(long nowMs) {
        // What came first: the next read goes on from where it ended, never from where it began.
        addPending();
        String name = service.get();
        Integer index = instance.get();
        boolean wanted = !read || (follow.get() && run.get() == InstanceLog.Run.CURRENT);
        if (name != null && index != null && !reading && wanted && nowMs - lastReadMs >= READ_EVERY_MS) {
            reading = true;
            lastReadMs = nowMs;
            long asked = generation;
            long from = offset;
            long seen = seenRun;
            InstanceLog.Run which = run.get();
            executor.run(() -> {
                InstanceLog log = fleet.instanceLog(name, index, which, from, InstanceLog.MAX_BYTES);
                boolean again = log.newRunSince(from, seen);
                if (again && !log.restarted()) {
                    // A new run known by its number, its log already past the offset: read from its start.
                    log = fleet.instanceLog(name, index, which, 0, InstanceLog.MAX_BYTES).startedAgain();
                }
                // What the last run wrote after the last read went with it into the previous run's log.
                InstanceLog rest = again && log.previousKept() && which == InstanceLog.Run.CURRENT
                        ? fleet.instanceLog(name, index, InstanceLog.Run.PREVIOUS, from, InstanceLog.MAX_BYTES) : null;
                if (rest != null && seen != InstanceLog.UNKNOWN_RUN && rest.runId() != InstanceLog.UNKNOWN_RUN && rest.runId() != seen) {
                    // Started again more than once since: the run read last is no longer kept.
                    rest = null;
                }
                return new Read(log, rest);
            }, log -> {
                if (asked == generation) {
                    reading = false;
                    pending = log;
                }
            }, failure -> {
                if (asked == generation) {
                    reading = false;
                    error = Phrase.of("log.unreadable", name, index, String.valueOf(failure.getMessage()));
                    updateStatus();
                }
            });
        }
        addPending();
    }

    private void addPending() {
        if (pending != null) {
            Read read = pending;
            pending = null;
            add(read);
        }
    }

    /** One read: the log, and when it began again, the end of the run before that was not read yet. */
    private record Read(InstanceLog log, InstanceLog rest) {
    }

    private static List<String> linesOf(InstanceLog log) {
        if (log == null || log.text().isEmpty()) {
            return List.of();
        }
        List<String> lines = Arrays.asList(log.text().split("\n", -1));
        return lines.getLast().isEmpty() ? lines.subList(0, lines.size() - 1) : lines;
    }

    private void add(Read answer) {
        InstanceLog log = answer.log();
        List<String> fresh = new java.util.ArrayList<>();
        if (log.restarted() && read) {
            startedAgain = true;
            fresh.addAll(linesOf(answer.rest()));
            // The console's mark among the log's own lines, said again when the language changes.
            fresh.add(mark());
        }
        fresh.addAll(linesOf(log));
        if (log.skipped()) {
            if (offset < 0) {
                older = true;
            } else {
                passedOver = true;
            }
        }
        if (!fresh.isEmpty()) {
            lines.addAll(fresh);
            if (lines.size() > MAX_LINES) {
                lines.subList(0, lines.size() - MAX_LINES).forEach(marks::remove);
                lines.remove(0, lines.size() - MAX_LINES);
                older = true;
            }
        }
        offset = log.next();
        seenRun = log.runId();
        read = true;
        error = null;
        previousKept.set(log.previousKept());
        updateStatus();
    }

    /** A new "started again" mark in the language now: a string of its own, told from the log's lines by identity. */
    private String mark() {
        String mark = new String(i18n.get("log.startedAgain"));
        marks.add(mark);
        return mark;
    }

    /** Replaces each mark listed with one in the language now. */
    private void sayMarksAgain() {
        if (marks.isEmpty()) {
            return;
        }
        java.util.Set<String> before = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        before.addAll(marks);
        marks.clear();
        for (int i = 0; i < lines.size(); i++) {
            if (before.contains(lines.get(i))) {
                lines.set(i, mark());
            }
        }
    }

    private void updateStatus() {
        String text = search.get() == null ? "" : search.get().strip();
        if (error != null) {
            status.set(i18n.say(error));
        } else if (!text.isEmpty()) {
            status.set(i18n.get("log.matches", shown.size(), lines.size(), text));
        } else if (startedAgain && previousKept.get() && run.get() == InstanceLog.Run.CURRENT) {
            status.set(i18n.get("log.previousKept"));
        } else if (passedOver) {
            status.set(i18n.get("log.passedOver"));
        } else if (older) {
            status.set(i18n.get("log.older", lines.size()));
        } else if (read && lines.isEmpty()) {
            status.set(i18n.get("log.empty"));
        } else {
            status.set("");
        }
    }

    /** The lines shown, one per line, for the clipboard. */
    public String copyText() {
        StringBuilder text = new StringBuilder();
        shown.forEach(line -> text.append(line).append('\n'));
        return text.toString();
    }
}
