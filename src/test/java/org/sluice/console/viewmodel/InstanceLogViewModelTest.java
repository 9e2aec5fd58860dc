package org.sluice.console.viewmodel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.sluice.lifecycle.InstanceLog;

/** The instance log in the service details, without the JavaFX toolkit: the clock is the pulses' time. */
class InstanceLogViewModelTest {
    private final FakeFleet fleet = new FakeFleet();
    private final InstanceLogViewModel model = new InstanceLogViewModel(fleet, BackgroundExecutor.sameThread(), new I18n(Locale.ENGLISH));

    private void write(String key, String text) {
        fleet.logs.computeIfAbsent(key, k -> new StringBuilder()).append(text);
    }

    @Test
    void itShowsTheTailThenFollowsAtMostOncePerSecond() {
        write("orders#0", "listening\nready\n");
        model.show("orders", 0);
        model.tick(10_000);
        assertThat(model.lines()).containsExactly("listening", "ready");

        write("orders#0", "delivered 3\n");
        model.tick(10_400);
        assertThat(fleet.logReads).as("not again within a second").hasSize(1);
        model.tick(11_000);
        assertThat(model.lines()).containsExactly("listening", "ready", "delivered 3");
        assertThat(fleet.logReads.get(1)).isEqualTo("orders#0 CURRENT from 16");

        model.followProperty().set(false);
        write("orders#0", "not yet shown\n");
        model.tick(20_000);
        assertThat(model.lines()).as("paused").hasSize(3);
        model.followProperty().set(true);
        model.tick(21_000);
        assertThat(model.lines()).endsWith("not yet shown");
    }

    @Test
    void itKeepsOnlyTheLastLinesAndSaysSo() {
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < InstanceLogViewModel.MAX_LINES + 50; i++) {
            many.append("line ").append(i).append('\n');
        }
        write("orders#0", many.toString());
        model.show("orders", 0);
        model.tick(0);
        assertThat(model.lines()).hasSize(InstanceLogViewModel.MAX_LINES);
        assertThat(model.lines().getLast()).isEqualTo("line " + (InstanceLogViewModel.MAX_LINES + 49));
        assertThat(model.statusProperty().get()).isEqualTo("Showing the last 2,000 lines; older ones stay in the host's log.");
    }

    @Test
    void searchNarrowsTheLinesAndCopyTakesWhatIsShown() {
        write("orders#0", "ready\nWARNING: destination slow\ndelivered\nwarning: retrying\n");
        model.show("orders", 0);
        model.tick(0);
        model.searchProperty().set("warning");
        assertThat(model.shownLines()).containsExactly("WARNING: destination slow", "warning: retrying");
        assertThat(model.statusProperty().get()).isEqualTo("2 of 4 lines contain \"warning\"");
        assertThat(model.copyText()).isEqualTo("WARNING: destination slow\nwarning: retrying\n");
        model.searchProperty().set("");
        assertThat(model.shownLines()).hasSize(4);
    }

    @Test
    void anInstanceThatStartedAgainIsMarkedAndItsPreviousRunCanBeRead() {
        write("orders#0", "first run\ncrashed: out of memory\n");
        model.show("orders", 0);
        model.tick(0);
        // The instance restarts: its log begins again, the old one is kept as the previous run's.
        fleet.logs.put("orders#0#previous", fleet.logs.get("orders#0"));
        fleet.logs.put("orders#0", new StringBuilder("second run\n"));
        fleet.previousKept.add("orders#0");
        model.tick(1_000);
        assertThat(model.lines()).containsExactly("first run", "crashed: out of memory", "--- The instance started again ---",
                "second run");
        assertThat(model.previousKeptProperty().get()).isTrue();
        assertThat(model.statusProperty().get()).isEqualTo("The instance started again. Choose Previous run to read the log of the run before.");

        model.runProperty().set(InstanceLog.Run.PREVIOUS);
        model.tick(2_000);
        assertThat(model.lines()).containsExactly("first run", "crashed: out of memory");
        write("orders#0#previous", "never written after the run ended\n");
        model.tick(3_000);
        assertThat(model.lines()).as("the previous run's log is read once, not followed").hasSize(2);
    }

    @Test
    void aLogThatCannotBeReadSaysWhyAndWhatToDo() {
        fleet.failingLog = "orders";
        model.show("orders", 1);
        model.tick(0);
        assertThat(model.lines()).isEmpty();
        assertThat(model.statusProperty().get())
                .isEqualTo("The log of orders instance 1 could not be read: The host answered 500: disk unreadable. It is tried again each second.");
    }

    @Test
    void aReadThatComesBackAfterTheNextIsDueIsAddedBeforeReadingOn() {
        java.util.List<Runnable> answers = new java.util.ArrayList<>();
        BackgroundExecutor later = new BackgroundExecutor() {
            @Override
            public <T> void run(java.util.concurrent.Callable<T> work, java.util.function.Consumer<T> onSuccess,
                                java.util.function.Consumer<Throwable> onFailure) {
                answers.add(() -> BackgroundExecutor.sameThread().run(work, onSuccess, onFailure));
            }
        };
        InstanceLogViewModel slow = new InstanceLogViewModel(fleet, later, new I18n(Locale.ENGLISH));
        write("orders#0", "listening\n");
        slow.show("orders", 0);
        slow.tick(0);
        answers.removeFirst().run();
        // The answer arrived, but the next pulse comes only after a second.
        slow.tick(1_500);
        answers.removeFirst().run();
        slow.tick(1_600);
        assertThat(slow.lines()).containsExactly("listening");
        assertThat(fleet.logReads).containsExactly("orders#0 CURRENT from -1", "orders#0 CURRENT from 10");
    }

    @Test
    void linesWrittenJustBeforeARestartAreShownBeforeTheMarkFromThePreviousRunsLog() {
        write("orders#0", "ready\n");
        model.show("orders", 0);
        model.tick(0);
        // The instance writes its last line, and is started again before the next read.
        write("orders#0", "stopping\n");
        fleet.logs.put("orders#0#previous", fleet.logs.get("orders#0"));
        fleet.logs.put("orders#0", new StringBuilder("up\n"));
        fleet.previousKept.add("orders#0");
        model.tick(1_000);
        assertThat(model.lines()).containsExactly("ready", "stopping", "--- The instance started again ---", "up");
    }

    @Test
    void aNewRunWhoseLogIsAlreadyLongerThanTheOldOneIsKnownByItsNumber() {
        fleet.runIds.put("orders#0", 1L);
        write("orders#0", "ready\n");
        model.show("orders", 0);
        model.tick(0);
        write("orders#0", "stopping\n");
        fleet.logs.put("orders#0#previous", fleet.logs.get("orders#0"));
        fleet.runIds.put("orders#0#previous", 1L);
        fleet.previousKept.add("orders#0");
        // By the next read the new run has written more than the old one had.
        fleet.logs.put("orders#0", new StringBuilder("listening on 7070 after a long start\n"));
        fleet.runIds.put("orders#0", 2L);
        model.tick(1_000);
        assertThat(model.lines()).containsExactly("ready", "stopping", "--- The instance started again ---",
                "listening on 7070 after a long start");
    }

    @Test
    void choosingAnotherInstanceStartsOverWithItsLog() {
        write("orders#0", "zero\n");
        write("orders#1", "one\n");
        model.show("orders", 0);
        model.tick(0);
        model.show("orders", 1);
        model.tick(100);
        assertThat(model.lines()).containsExactly("one");
        model.show(null, null);
        model.tick(5_000);
        assertThat(model.lines()).isEmpty();
    }

    @Test
    void theStatusIsSaidAgainInTheLanguageSwitchedTo() {
        I18n i18n = new I18n(Locale.ENGLISH);
        InstanceLogViewModel log = new InstanceLogViewModel(fleet, BackgroundExecutor.sameThread(), i18n);
        write("orders#0", "first run\ncrashed: out of memory\n");
        log.show("orders", 0);
        log.tick(0);
        fleet.logs.put("orders#0#previous", fleet.logs.get("orders#0"));
        fleet.logs.put("orders#0", new StringBuilder("second run\n"));
        fleet.previousKept.add("orders#0");
        log.tick(1_000);
        assertThat(log.statusProperty().get()).isEqualTo("The instance started again. Choose Previous run to read the log of the run before.");

        i18n.use(Locale.KOREAN);
        assertThat(log.statusProperty().get()).isEqualTo("인스턴스가 다시 시작되었습니다. 이전 실행의 로그를 보려면 이전 실행을 선택하십시오.");
        assertThat(log.lines()).as("the marker already listed, said again; the log's own lines as they were written")
                .containsExactly("first run", "crashed: out of memory", "--- 인스턴스가 다시 시작되었습니다 ---", "second run");
        assertThat(log.copyText()).contains("--- 인스턴스가 다시 시작되었습니다 ---");
        i18n.use(Locale.ENGLISH);
        assertThat(log.lines()).containsExactly("first run", "crashed: out of memory", "--- The instance started again ---", "second run");
    }

    @Test
    void aLineTheInstanceWroteIsNeverTakenForTheMarker() {
        I18n i18n = new I18n(Locale.ENGLISH);
        InstanceLogViewModel log = new InstanceLogViewModel(fleet, BackgroundExecutor.sameThread(), i18n);
        write("orders#0", "--- The instance started again ---\n");
        log.show("orders", 0);
        log.tick(0);
        i18n.use(Locale.KOREAN);
        assertThat(log.lines()).containsExactly("--- The instance started again ---");
    }

    @Test
    void aLogThatCannotBeReadSaysWhyInTheLanguageSwitchedTo() {
        I18n i18n = new I18n(Locale.ENGLISH);
        InstanceLogViewModel log = new InstanceLogViewModel(fleet, BackgroundExecutor.sameThread(), i18n);
        fleet.failingLog = "orders";
        log.show("orders", 1);
        log.tick(0);
        i18n.use(Locale.KOREAN);
        assertThat(log.statusProperty().get())
                .isEqualTo("orders 인스턴스 1의 로그를 읽지 못했습니다: The host answered 500: disk unreadable. 1초마다 다시 시도합니다.");
    }
}
