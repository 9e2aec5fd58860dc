package org.sluice.console.viewmodel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.sluice.fleet.Fleet;
import org.sluice.fleet.traffic.TrafficCounts;

/** The dashboard's test traffic, without the JavaFX toolkit. */
class TrafficViewModelTest {
    private final List<int[]> started = new ArrayList<>();
    private final FakeTraffic traffic = new FakeTraffic();
    private final I18n i18n = new I18n(Locale.ENGLISH);
    private final TrafficViewModel model = new TrafficViewModel(new FakeFleet(), i18n, (endpoint, rate, size) -> {
        started.add(new int[] {rate, size});
        return traffic;
    });

    /** Traffic whose counts the test sets. */
    private static final class FakeTraffic implements TrafficViewModel.Traffic {
        TrafficCounts counts = new TrafficCounts(0, 0, 0, 0, 0, 0);
        java.util.OptionalInt lastOther = java.util.OptionalInt.empty();
        boolean stopped;

        @Override
        public java.util.OptionalInt lastOtherStatus() {
            return lastOther;
        }

        @Override
        public TrafficCounts counts() {
            return counts;
        }

        @Override
        public void stop() {
            stopped = true;
        }
    }

    @Test
    void aSizeUpToTheFrontDoorsLimitIsSentAsTypedNotCut() {
        model.serviceProperty().set("orders");
        model.sizeTextProperty().set("4 MiB");
        assertThat(model.sizeProblemProperty().get()).isEmpty();
        model.toggleCommand().execute();
        assertThat(started).hasSize(1);
        assertThat(started.get(0)[1]).isEqualTo(Fleet.MAX_MESSAGE_BYTES).isEqualTo(4 * 1024 * 1024);
    }

    @Test
    void aSizeOverTheLimitIsRefusedWhileTypingAndSaysTheBound() {
        model.serviceProperty().set("orders");
        model.sizeTextProperty().set("5 MiB");
        assertThat(model.sizeProblemProperty().get()).contains("4 MiB");
        assertThat(model.toggleCommand().isExecutable()).isFalse();
        model.sizeTextProperty().set("4194305");
        assertThat(model.sizeProblemProperty().get()).contains("4 MiB");
        model.sizeTextProperty().set("12 bananas");
        assertThat(model.sizeProblemProperty().get()).contains("12 bananas");
        model.sizeTextProperty().set("10");
        assertThat(model.sizeProblemProperty().get()).contains("64");
        model.sizeTextProperty().set("512 KiB");
        assertThat(model.sizeProblemProperty().get()).isEmpty();
        assertThat(model.toggleCommand().isExecutable()).isTrue();
        model.toggleCommand().execute();
        assertThat(started.get(0)[1]).isEqualTo(512 * 1024);
    }

    @Test
    void aRateOverTheMostIsRefusedNotCut() {
        model.serviceProperty().set("orders");
        model.rateTextProperty().set(String.valueOf(TrafficViewModel.MAX_RATE + 1));
        assertThat(model.rateProblemProperty().get()).contains("5,000");
        assertThat(model.toggleCommand().isExecutable()).isFalse();
        model.rateTextProperty().set("5000");
        model.toggleCommand().execute();
        assertThat(started.get(0)[0]).isEqualTo(5_000);
    }

    @Test
    void theProgressShowsEveryCountAndTheyAddUpOnceTheLastAnswerIsIn() {
        model.serviceProperty().set("orders");
        model.toggleCommand().execute();
        traffic.counts = new TrafficCounts(1_000, 700, 150, 20, 100, 30);
        model.tick(10_000);
        assertThat(model.countsProperty().get()).isEqualTo(traffic.counts);
        assertThat(model.progressProperty().get()).contains("1,000", "700", "150", "20", "100", "30");

        model.toggleCommand().execute();
        assertThat(traffic.stopped).isTrue();
        assertThat(model.runningProperty().get()).isFalse();
        // The answers still on their way after the stop are counted as they come.
        traffic.counts = new TrafficCounts(1_000, 725, 155, 20, 100, 0);
        model.tick(20_000);
        TrafficCounts last = model.countsProperty().get();
        assertThat(last.inFlight()).isZero();
        assertThat(last.ok() + last.busy() + last.other() + last.dropped()).isEqualTo(last.due());
        assertThat(model.progressProperty().get()).contains("725", "155");
    }

    @Test
    void otherErrorsSayWhatWentWrongAndTheWayOut() {
        model.serviceProperty().set("orders");
        model.toggleCommand().execute();
        traffic.counts = new TrafficCounts(100, 90, 0, 0, 0, 10);
        model.tick(1_000);
        assertThat(model.otherProblemProperty().get()).isEmpty();

        traffic.counts = new TrafficCounts(200, 90, 0, 100, 0, 10);
        traffic.lastOther = java.util.OptionalInt.of(409);
        model.tick(2_000);
        assertThat(model.otherProblemProperty().get()).contains("orders", "Active", "Start");

        traffic.lastOther = java.util.OptionalInt.of(0);
        model.tick(3_000);
        assertThat(model.otherProblemProperty().get()).contains("front door", "host");

        traffic.lastOther = java.util.OptionalInt.of(500);
        model.tick(4_000);
        assertThat(model.otherProblemProperty().get()).contains("500");

        // A new run starts with no problem of the last one.
        model.toggleCommand().execute();
        traffic.counts = new TrafficCounts(0, 0, 0, 0, 0, 0);
        traffic.lastOther = java.util.OptionalInt.empty();
        model.toggleCommand().execute();
        assertThat(model.otherProblemProperty().get()).isEmpty();
    }

    @Test
    void theLineSaidBeforeAnyCountIsSaidAgainInTheLanguageSwitchedTo() {
        model.toggleCommand().execute();
        assertThat(model.progressProperty().get()).isEqualTo("Choose a service to send test traffic to.");
        i18n.use(Locale.KOREAN);
        assertThat(model.progressProperty().get()).isEqualTo("테스트 트래픽을 보낼 서비스를 선택하십시오.");

        model.serviceProperty().set("orders");
        model.rateTextProperty().set("abc");
        model.toggleCommand().execute();
        i18n.use(Locale.ENGLISH);
        assertThat(model.progressProperty().get()).as("the rate's problem, as the field says it")
                .isEqualTo(model.rateProblemProperty().get()).startsWith("\"abc\" is not a rate");

        model.rateTextProperty().set("100");
        model.toggleCommand().execute();
        assertThat(model.progressProperty().get()).startsWith("Sending to orders: 100 messages a second");
        i18n.use(Locale.KOREAN);
        assertThat(model.progressProperty().get()).startsWith("보내는 중: orders 서비스에 초당 100개");
    }
}
