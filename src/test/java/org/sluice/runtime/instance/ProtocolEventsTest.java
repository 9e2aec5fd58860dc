package org.sluice.runtime.instance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.sluice.throttle.Cause;
import org.sluice.throttle.ThrottleState;

class ProtocolEventsTest {

    private static final List<ProtocolEvent> EVENTS = List.of(
            new ProtocolEvent.Ready(40123, 777),
            new ProtocolEvent.Sampled(1000, 12.34, 5, 2, 10, 7, 1, 2, 3, 40, ThrottleState.THROTTLED,
                    EnumSet.of(Cause.CONCURRENCY, Cause.MEMORY)),
            new ProtocolEvent.Throttle(1000, ThrottleState.NORMAL, ThrottleState.THROTTLED, Set.of(Cause.MEMORY)),
            new ProtocolEvent.Episode(1000, 2500, EnumSet.allOf(Cause.class)),
            new ProtocolEvent.Problem("a \"quoted\" reason"),
            new ProtocolEvent.Gate(false),
            new ProtocolEvent.Gate(true),
            new ProtocolEvent.Stopped());

    private static final List<String> LINES = List.of(
            "{\"event\":\"ready\",\"port\":40123,\"pid\":777}",
            "{\"event\":\"sample\",\"timeMs\":1000,\"memoryPercent\":12.3,\"concurrent\":5,\"cores\":2,\"received\":10,"
                    + "\"processed\":7,\"failed\":1,\"refusedBusy\":2,\"latencyP50Ms\":3,\"latencyP99Ms\":40,"
                    + "\"state\":\"THROTTLED\",\"causes\":[\"MEMORY\",\"CONCURRENCY\"]}",
            "{\"event\":\"throttle\",\"timeMs\":1000,\"previous\":\"NORMAL\",\"state\":\"THROTTLED\",\"causes\":[\"MEMORY\"]}",
            "{\"event\":\"episode\",\"startMs\":1000,\"endMs\":2500,\"causes\":[\"MEMORY\",\"CONCURRENCY\"]}",
            "{\"event\":\"problem\",\"message\":\"a \\\"quoted\\\" reason\"}",
            "{\"event\":\"gate\",\"open\":false}",
            "{\"event\":\"gate\",\"open\":true}",
            "{\"event\":\"stopped\"}");

    @Test
    void writesTheDocumentedLines() {
        StringWriter text = new StringWriter();
        ProtocolWriter writer = new ProtocolWriter(new PrintWriter(text));
        EVENTS.forEach(writer::emit);
        assertThat(text.toString()).isEqualTo(String.join("\n", LINES) + "\n");
    }

    @Test
    void parsesWhatItWrites() throws Exception {
        for (int i = 0; i < EVENTS.size(); i++) {
            ProtocolEvent parsed = ProtocolEvents.parse(LINES.get(i));
            if (parsed instanceof ProtocolEvent.Sampled s) {
                assertThat(s.memoryPercent()).isEqualTo(12.3);
                assertThat(s.causes()).containsExactly(Cause.MEMORY, Cause.CONCURRENCY);
            } else {
                assertThat(parsed).isEqualTo(EVENTS.get(i));
            }
        }
        assertThat(((ProtocolEvent.Episode) ProtocolEvents.parse(LINES.get(3))).durationMs()).isEqualTo(1500);
    }

    @Test
    void aSampleCarriesTheLatencyHistogramSinceTheInstanceStarted() throws Exception {
        LatencyHistogram latency = new LatencyHistogram(List.of(5L, 50L, 500L), List.of(2L, 1L, 0L, 1L), 1_234);
        ProtocolEvent.Sampled sample = new ProtocolEvent.Sampled(1000, 12.5, 5, 2, 10, 7, 1, 2, 3, 40, ThrottleState.NORMAL,
                Set.of(), Optional.of(latency));

        String line = ProtocolEvents.toLine(sample);

        assertThat(line).endsWith(",\"latency\":{\"boundsMs\":[5,50,500],\"counts\":[2,1,0,1],\"sumMs\":1234}}");
        assertThat(ProtocolEvents.parse(line)).isEqualTo(sample);
        assertThat(latency.count()).isEqualTo(4);
    }

    @Test
    void aSampleFromAnInstanceThatKeepsNoHistogramStillParses() throws Exception {
        ProtocolEvent.Sampled older = (ProtocolEvent.Sampled) ProtocolEvents.parse(LINES.get(1));
        assertThat(older.latency()).isEmpty();
        assertThat(older.received()).isEqualTo(10);
    }

    @Test
    void refusesAHistogramWhoseCountsDoNotFitItsBounds() {
        String line = LINES.get(1).replace("}", "") + ",\"latency\":{\"boundsMs\":[5,50],\"counts\":[2,1],\"sumMs\":9}}";
        assertThatThrownBy(() -> ProtocolEvents.parse(line)).isInstanceOf(ProtocolEvents.MalformedEventException.class)
                .hasMessageContaining("one more count than bounds");
        String unordered = LINES.get(1).replace("}", "") + ",\"latency\":{\"boundsMs\":[50,5],\"counts\":[2,1,0],\"sumMs\":9}}";
        assertThatThrownBy(() -> ProtocolEvents.parse(unordered)).hasMessageContaining("rise");
    }

    @Test
    void aProblemsTextIsCutToItsLimitWithAMarkerAndItsLineStaysAnEvent() throws Exception {
        String page = "é".repeat(ProtocolEvent.Problem.MAX_MESSAGE_CHARS) + "the end no one reads";

        ProtocolEvent.Problem cut = new ProtocolEvent.Problem(page);

        String kept = cut.message().substring(0, cut.message().indexOf("\u2026 ["));
        assertThat(kept).matches("é+");
        assertThat(cut.message()).endsWith("\u2026 [" + (page.length() - kept.length()) + " more characters cut]");
        assertThat(cut.message().length()).isLessThanOrEqualTo(ProtocolEvent.Problem.MAX_MESSAGE_CHARS);
        assertThat(new ProtocolEvent.Problem(cut.message())).as("read again, it is not cut twice").isEqualTo(cut);
        assertThat(ProtocolEvents.parse(ProtocolEvents.toLine(cut))).isEqualTo(cut);
        String atTheLimit = "a".repeat(ProtocolEvent.Problem.MAX_MESSAGE_CHARS);
        assertThat(new ProtocolEvent.Problem(atTheLimit).message()).isEqualTo(atTheLimit);
    }

    @Test
    void aProblemIsNotCutInsideACharacterOutsideTheBasicPlane() {
        String emoji = "\uD83D\uDE00";
        String text = "a" + emoji.repeat(ProtocolEvent.Problem.MAX_MESSAGE_CHARS);

        String cut = new ProtocolEvent.Problem(text).message();

        String kept = cut.substring(0, cut.indexOf("\u2026 ["));
        assertThat(Character.isHighSurrogate(kept.charAt(kept.length() - 1))).isFalse();
        assertThat(kept.codePoints().allMatch(c -> c == 'a' || c == 0x1F600)).isTrue();
    }

    @Test
    void refusesLinesThatAreNotEvents() {
        assertThatThrownBy(() -> ProtocolEvents.parse("hello")).isInstanceOf(ProtocolEvents.MalformedEventException.class);
        assertThatThrownBy(() -> ProtocolEvents.parse("{\"event\":\"dance\"}")).hasMessageContaining("unknown event");
        assertThatThrownBy(() -> ProtocolEvents.parse("{\"event\":\"ready\",\"port\":1}")).hasMessageContaining("missing pid");
        assertThatThrownBy(() -> ProtocolEvents.parse("{\"event\":\"throttle\",\"timeMs\":1,\"previous\":\"NORMAL\","
                + "\"state\":\"HOT\",\"causes\":[]}")).hasMessageContaining("HOT");
        assertThatThrownBy(() -> ProtocolEvents.parse("{\"event\":\"gate\",\"open\":\"yes\"}")).hasMessageContaining("'open'");
    }

    @Test
    void aStreamLineCarriesItsNumberLastAndALineWithoutOneStillParses() throws Exception {
        String numbered = ProtocolEvents.toLine(new ProtocolEvent.Gate(true), 42);

        assertThat(numbered).isEqualTo("{\"event\":\"gate\",\"open\":true,\"seq\":42}");
        assertThat(ProtocolEvents.parseNumbered(numbered))
                .isEqualTo(new ProtocolEvents.Numbered(new ProtocolEvent.Gate(true), java.util.OptionalLong.of(42)));
        assertThat(ProtocolEvents.parse(numbered)).isEqualTo(new ProtocolEvent.Gate(true));
        assertThat(ProtocolEvents.parseNumbered("{\"event\":\"gate\",\"open\":true}").number()).isEmpty();
        assertThatThrownBy(() -> ProtocolEvents.parseNumbered("{\"event\":\"gate\",\"open\":true,\"seq\":\"x\"}"))
                .isInstanceOf(ProtocolEvents.MalformedEventException.class);
    }
}
