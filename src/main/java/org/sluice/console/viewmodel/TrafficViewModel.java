package org.sluice.console.viewmodel;

import java.util.Locale;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javafx.beans.binding.Bindings;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import org.sluice.fleet.Fleet;
import org.sluice.fleet.traffic.TrafficCounts;

/**
 * The dashboard's test traffic: messages of a chosen size at a chosen rate to a service's front
 * door, so an operator can watch an instance throttle and recover. The rate and the size are
 * checked as they are typed, and traffic starts only with both within their bounds: nothing is
 * cut to fit without a word.
 */
public final class TrafficViewModel {
    public static final int MIN_RATE = 1;
    public static final int MAX_RATE = 5_000;
    /** The smallest message the traffic sends: its JSON object without padding is 38 bytes. */
    public static final int MIN_SIZE = 64;
    /** The largest: what a service's front door takes. */
    public static final int MAX_SIZE = Fleet.MAX_MESSAGE_BYTES;
    /**
     * The most requests waiting for answers at once; a message due beyond them is dropped. Enough
     * to take a one-core instance past its concurrency threshold (100 messages in process per
     * core), so that a slow service throttles; few enough that their connections stay a few MiB.
     */
    public static final int MAX_IN_FLIGHT = 256;
    static final long PROGRESS_EVERY_MS = 500;
    private static final int KIB = 1024;
    private static final int MIB = 1024 * 1024;
    private static final Pattern SIZE = Pattern.compile("\\s*(\\d{1,10})\\s*(b|k|kb|kib|m|mb|mib)?\\s*", Pattern.CASE_INSENSITIVE);
    private static final Pattern RATE = Pattern.compile("\\s*(\\d{1,10})\\s*");

    /** Starts traffic to an address; the console's implementation posts over HTTP. */
    @FunctionalInterface
    public interface Starter {
        Traffic start(String endpoint, int rate, int size);
    }

    /** Traffic under way. */
    public interface Traffic {
        /** The counts so far; they go on changing after a stop while answers come in. */
        TrafficCounts counts();

        /** The status of the last answer counted as another error, 0 when none came; empty before the first. */
        default OptionalInt lastOtherStatus() {
            return OptionalInt.empty();
        }

        void stop();
    }

    private final Fleet fleet;
    private final I18n i18n;
    private final Starter starter;
    private final ObjectProperty<String> service = new SimpleObjectProperty<>(this, "service");
    private final StringProperty rateText = new SimpleStringProperty(this, "rateText", "200");
    private final StringProperty sizeText = new SimpleStringProperty(this, "sizeText", "1 KiB");
    private final ReadOnlyStringWrapper rateProblem = new ReadOnlyStringWrapper(this, "rateProblem", "");
    private final ReadOnlyStringWrapper sizeProblem = new ReadOnlyStringWrapper(this, "sizeProblem", "");
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(this, "running");
    private final ReadOnlyObjectWrapper<TrafficCounts> counts = new ReadOnlyObjectWrapper<>(this, "counts");
    private final ReadOnlyStringWrapper progress = new ReadOnlyStringWrapper(this, "progress", "");
    private final ReadOnlyStringWrapper otherProblem = new ReadOnlyStringWrapper(this, "otherProblem", "");
    private final Command toggle;
    /** Why the rate or the size as typed cannot be used, as words said again in another language; null when it can. */
    private Phrase rateWords;
    private Phrase sizeWords;
    /** What the line says before the first counts (started, or why not), to be said again in another language; null once it counts. */
    private Phrase line;
    private int rate = 200;
    private int size = KIB;
    /** The traffic running, or stopped with answers still on their way. */
    private Traffic traffic;
    /** The service the traffic goes to. */
    private String target;
    /** The status of the last other error of the traffic shown, if it had any. */
    private OptionalInt lastOther = OptionalInt.empty();
    private long lastProgressMs;

    public TrafficViewModel(Fleet fleet, I18n i18n, Starter starter) {
        this.fleet = fleet;
        this.i18n = i18n;
        this.starter = starter;
        rateText.addListener((o, a, text) -> checkRate());
        sizeText.addListener((o, a, text) -> checkSize());
        i18n.localeProperty().addListener((o, was, now) -> {
            checkRate();
            checkSize();
            relabel();
        });
        this.toggle = new Command() {
            {
                condition(Bindings.createBooleanBinding(() -> running.get()
                                || service.get() != null && rateProblem.get().isEmpty() && sizeProblem.get().isEmpty(),
                        running, service, rateProblem, sizeProblem));
            }

            @Override
            protected void run() {
                if (running.get()) {
                    stop();
                } else {
                    start();
                }
            }

            @Override
            protected void refused() {
                say(service.get() == null ? Phrase.of("traffic.chooseService") : sizeWords != null ? sizeWords : rateWords);
            }
        };
    }

    public ObjectProperty<String> serviceProperty() {
        return service;
    }

    /** The rate as typed: messages per second, from {@value #MIN_RATE} to {@value #MAX_RATE}. */
    public StringProperty rateTextProperty() {
        return rateText;
    }

    /** The size as typed: bytes, or a number with KiB or MiB, from 64 bytes to the front door's limit. */
    public StringProperty sizeTextProperty() {
        return sizeText;
    }

    /** Why the rate as typed cannot be used, or empty. */
    public ReadOnlyStringProperty rateProblemProperty() {
        return rateProblem.getReadOnlyProperty();
    }

    /** Why the size as typed cannot be used, or empty. */
    public ReadOnlyStringProperty sizeProblemProperty() {
        return sizeProblem.getReadOnlyProperty();
    }

    /** What sizes may be typed, for the field's hint. */
    public String sizeBound() {
        return i18n.get("traffic.size.bound", bytes(MIN_SIZE), bytes(MAX_SIZE));
    }

    /** What rates may be typed, for the field's hint. */
    public String rateBound() {
        return i18n.get("traffic.rate.bound", MIN_RATE, MAX_RATE);
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    /** The counts of the traffic running or last run; null before the first. */
    public ReadOnlyObjectProperty<TrafficCounts> countsProperty() {
        return counts.getReadOnlyProperty();
    }

    /** What the traffic has done so far, every count in words. */
    public ReadOnlyStringProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    /** What the last of the other errors was, and the way out; empty while there is none. */
    public ReadOnlyStringProperty otherProblemProperty() {
        return otherProblem.getReadOnlyProperty();
    }

    /** Starts the traffic, or stops it when it runs. */
    public Command toggleCommand() {
        return toggle;
    }

    private void checkRate() {
        Matcher m = RATE.matcher(rateText.get() == null ? "" : rateText.get());
        if (!m.matches()) {
            rateProblem(Phrase.of("traffic.rate.notNumber", strip(rateText.get()), MIN_RATE, MAX_RATE));
            return;
        }
        long value = Long.parseLong(m.group(1));
        if (value < MIN_RATE || value > MAX_RATE) {
            rateProblem(Phrase.of("traffic.rate.outside", value, MIN_RATE, MAX_RATE));
            return;
        }
        rate = (int) value;
        rateProblem(null);
    }

    private void checkSize() {
        Matcher m = SIZE.matcher(sizeText.get() == null ? "" : sizeText.get());
        if (!m.matches()) {
            sizeProblem(Phrase.of("traffic.size.notSize", strip(sizeText.get()), bytesWords(MIN_SIZE), bytesWords(MAX_SIZE)));
            return;
        }
        String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
        long value = Long.parseLong(m.group(1)) * (unit.startsWith("k") ? KIB : unit.startsWith("m") ? MIB : 1);
        if (value < MIN_SIZE) {
            sizeProblem(Phrase.of("traffic.size.tooSmall", strip(sizeText.get()), bytesWords(MIN_SIZE)));
            return;
        }
        if (value > MAX_SIZE) {
            sizeProblem(Phrase.of("traffic.size.tooLarge", strip(sizeText.get()), bytesWords(MAX_SIZE)));
            return;
        }
        size = (int) value;
        sizeProblem(null);
    }

    private void rateProblem(Phrase words) {
        rateWords = words;
        rateProblem.set(words == null ? "" : i18n.say(words));
    }

    private void sizeProblem(Phrase words) {
        sizeWords = words;
        sizeProblem.set(words == null ? "" : i18n.say(words));
    }

    /** Puts {@code words} on the progress line until the first counts come. */
    private void say(Phrase words) {
        line = words;
        progress.set(i18n.say(words));
    }

    private static String strip(String text) {
        return text == null ? "" : text.strip();
    }

    /** A size in the largest unit it is a whole number of; KiB and MiB are symbols in every language. */
    private String bytes(int value) {
        Object words = bytesWords(value);
        return words instanceof Phrase phrase ? i18n.say(phrase) : (String) words;
    }

    /** {@link #bytes} as an argument of a phrase: a symbol as it is, or "N bytes" said in the language of then. */
    private static Object bytesWords(int value) {
        if (value % MIB == 0) {
            return value / MIB + " MiB";
        }
        if (value % KIB == 0) {
            return value / KIB + " KiB";
        }
        return Phrase.of("traffic.size.bytes", value);
    }

    private void start() {
        if (traffic != null) {
            traffic.stop();
        }
        target = service.get();
        traffic = starter.start(fleet.endpoint(target), rate, size);
        lastOther = OptionalInt.empty();
        otherProblem.set("");
        running.set(true);
        lastProgressMs = Long.MIN_VALUE / 2;
        say(Phrase.of("traffic.started", service.get(), rate, bytesWords(size)));
    }

    /** Stops the traffic if it runs; also called when the console closes. */
    public void stop() {
        if (traffic != null && running.get()) {
            traffic.stop();
            running.set(false);
            show(traffic.counts());
        }
        running.set(false);
    }

    /**
     * Refreshes the counts now and then; called once per pulse. After a stop they are followed
     * until the last answer is in.
     */
    public void tick(long nowMs) {
        if (traffic != null && nowMs - lastProgressMs >= PROGRESS_EVERY_MS) {
            lastProgressMs = nowMs;
            show(traffic.counts());
        }
    }

    /** Says the progress line and the counts again in the current language. */
    void relabel() {
        if (line != null) {
            progress.set(i18n.say(line));
        } else if (counts.get() != null) {
            progress.set(text(counts.get()));
        }
        otherProblem.set(lastOther.isEmpty() ? "" : other(lastOther.getAsInt()));
    }

    private void show(TrafficCounts now) {
        counts.set(now);
        line = null;
        progress.set(text(now));
        lastOther = now.other() == 0 ? OptionalInt.empty() : traffic.lastOtherStatus();
        otherProblem.set(lastOther.isEmpty() ? "" : other(lastOther.getAsInt()));
        if (!running.get() && now.inFlight() == 0) {
            traffic = null;
        }
    }

    /** The last other error in our words: what it means for this service and what to do. */
    private String other(int status) {
        return switch (status) {
            case 0 -> i18n.get("traffic.other.noAnswer", target);
            case 404 -> i18n.get("traffic.other.unknown", target);
            case 409 -> i18n.get("traffic.other.notActive", target);
            case 413 -> i18n.get("traffic.other.tooLarge", target);
            case 502 -> i18n.get("traffic.other.instance", target);
            default -> i18n.get("traffic.other.status", target, String.valueOf(status));
        };
    }

    private String text(TrafficCounts c) {
        return i18n.get(running.get() || c.inFlight() > 0 ? "traffic.progress" : "traffic.done",
                c.due(), c.ok(), c.busy(), c.other(), c.dropped(), c.inFlight());
    }
}
