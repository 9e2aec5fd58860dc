package org.sluice.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sluice.console.ConsoleFixture.waitUntil;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import javafx.scene.control.ComboBox;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.stage.Stage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sluice.console.view.DashboardView;
import org.sluice.console.view.MainView;
import org.sluice.console.viewmodel.InstanceTileViewModel;
import org.sluice.console.viewmodel.ServiceRowViewModel;
import org.sluice.console.viewmodel.ThrottleEvent;
import org.sluice.lifecycle.ServiceState;
import org.sluice.runtime.InstanceEvent;
import org.sluice.throttle.Cause;
import org.sluice.throttle.ThrottleState;
import org.sluice.throttle.ThrottleTransition;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** Switching the language changes the words and nothing else the operator was looking at. */
@ExtendWith(ApplicationExtension.class)
class ConsoleLanguageSwitchTest {
    private ConsoleFixture console;
    private Stage stage;

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        console = new ConsoleFixture(stage, Locale.ENGLISH, "billing", "orders");
    }

    @AfterEach
    void close() throws Exception {
        console.close();
    }


    private ServiceRowViewModel row(String name) {
        return console.session.services().row(name).orElseThrow();
    }

    /** The width the grid's visible columns take, and the room the grid has for them. */
    private static String widths(TableView<?> table) {
        return table.getVisibleLeafColumns().stream().map(c -> c.getText() + " " + Math.round(c.getWidth())).toList().toString();
    }

    @Test
    void afterALanguageSwitchIn900PxTheGridsColumnsStillFitTheWindow(FxRobot robot) throws Exception {
        waitUntil(() -> console.session.services().row("orders").map(r -> r.getState() == ServiceState.ACTIVE).orElse(false)
                && row("orders").lastOperationProperty().get() != null);
        windowAt(robot, 900, 600);
        try {
            org.testfx.util.WaitForAsyncUtils.waitForFxEvents();
            for (Locale locale : List.of(Locale.KOREAN, Locale.ENGLISH)) {
                TableView<ServiceRowViewModel> table = switchAndSettle(robot, locale);
                double columns = table.getVisibleLeafColumns().stream().mapToDouble(c -> c.getWidth()).sum();
                double room = table.getWidth() - table.snappedLeftInset() - table.snappedRightInset();
                assertThat(columns).as("the columns' widths in %s, %s, in a grid %.0f px wide", locale, widths(table), table.getWidth())
                        .isLessThanOrEqualTo(room);
                assertThat(table.lookupAll(".scroll-bar").stream().filter(n -> n instanceof javafx.scene.control.ScrollBar bar
                        && bar.getOrientation() == javafx.geometry.Orientation.HORIZONTAL && bar.isVisible()).toList())
                        .as("a sideways scroll bar in %s", locale).isEmpty();
            }
        } finally {
            windowAt(robot, 1400, 820);
        }
    }

    /** Sizes the console's window to {@code width} × {@code height}. */
    private void windowAt(FxRobot robot, double width, double height) {
        robot.interact(() -> {
            stage.setWidth(width);
            stage.setHeight(height);
        });
    }

    /** True when what {@code labeled} shows is not its whole text: cut with an ellipsis, or not laid out at all. */
    private static boolean cut(javafx.scene.control.Labeled labeled) {
        javafx.scene.text.Text shown = (javafx.scene.text.Text) labeled.lookup(".text");
        return labeled.getText() != null && !labeled.getText().isEmpty()
                && (labeled.isTextTruncated() || shown == null || !labeled.getText().equals(shown.getText()));
    }

    /** What a labeled shows, for a failure's message. */
    private static String shown(javafx.scene.control.Labeled labeled) {
        javafx.scene.text.Text text = (javafx.scene.text.Text) labeled.lookup(".text");
        return labeled.getText() + " -> " + (text == null ? "nothing" : text.getText()) + " (" + Math.round(labeled.getWidth()) + " px)";
    }

    @Test
    void in900By600EveryColumnHeaderReadsWholeAndTheUnitsAreNeverCutInEitherLanguage(FxRobot robot) throws Exception {
        waitUntil(() -> console.isActive("orders") && console.isActive("billing")
                && row("orders").lastOperationProperty().get() != null);
        windowAt(robot, 900, 600);
        try {
            for (Locale locale : List.of(Locale.ENGLISH, Locale.KOREAN)) {
                robot.interact(() -> console.session.language(locale));
                org.testfx.util.WaitForAsyncUtils.waitForFxEvents();
                TableView<ServiceRowViewModel> table = console.session.mainView().servicesView().table();
                waitUntil(() -> table.getWidth() > 0 && !table.lookupAll(".column-header .label").isEmpty());
                org.testfx.util.WaitForAsyncUtils.waitForFxEvents();
                List<javafx.scene.control.Labeled> headers = table.lookupAll(".column-header .label").stream()
                        .map(n -> (javafx.scene.control.Labeled) n).filter(javafx.scene.Node::isVisible)
                        .filter(l -> l.getText() != null && !l.getText().isEmpty()).toList();
                assertThat(headers).as("the headers in %s", locale).hasSize(table.getVisibleLeafColumns().size());
                assertThat(headers).as("headers cut in %s, columns %s", locale, widths(table))
                        .noneMatch(ConsoleLanguageSwitchTest::cut);
                String units = locale == Locale.KOREAN ? "단위와 인스턴스" : "Units and instances";
                List<javafx.scene.control.Labeled> unitCells = table.lookupAll(".table-cell").stream()
                        .map(n -> (javafx.scene.control.TableCell<?, ?>) n)
                        .filter(c -> c.getTableColumn() != null && units.equals(c.getTableColumn().getText()) && !c.isEmpty())
                        .map(c -> (javafx.scene.control.Labeled) c).toList();
                assertThat(unitCells).as("the %s cells in %s, columns %s: %s", units, locale, widths(table),
                        unitCells.stream().map(ConsoleLanguageSwitchTest::shown).toList())
                        .hasSize(2).noneMatch(ConsoleLanguageSwitchTest::cut);
            }
        } finally {
            robot.interact(() -> console.session.language(Locale.ENGLISH));
            windowAt(robot, 1400, 820);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void theSelectionTheTabTheChartsTheNoticesAndTheTestTrafficStayAcrossALanguageSwitch(FxRobot robot) throws Exception {
        waitUntil(() -> console.session.services().row("orders").map(r -> r.getState() == ServiceState.ACTIVE).orElse(false)
                && console.session.dashboard().tile("orders#0") != null);
        // A notice in the status line, a throttle event in the list and on the chart.
        robot.interact(() -> console.session.services().restoreService());
        assertThat(robot.lookup("#status").queryLabeled().getText()).startsWith("Select the service whose backup you want to restore.");
        console.instances("orders").get(0).emit(new InstanceEvent.Throttle(new ThrottleTransition(System.currentTimeMillis(),
                ThrottleState.NORMAL, ThrottleState.THROTTLED, Set.of(Cause.MEMORY), Optional.empty())));
        waitUntil(() -> !console.session.dashboard().events().isEmpty());
        ThrottleEvent event = console.session.dashboard().events().get(0);
        InstanceTileViewModel tile = console.session.dashboard().tile("orders#0");

        TableView<ServiceRowViewModel> table = console.session.mainView().servicesView().table();
        robot.interact(() -> table.getSelectionModel().select(row("orders")));
        robot.clickOn("#tab-dashboard .tab-label");
        robot.interact(() -> console.session.dashboard().selectedProperty().set(tile));
        robot.interact(() -> {
            console.session.traffic().serviceProperty().set("orders");
            console.session.traffic().rateTextProperty().set("750");
            console.session.traffic().sizeTextProperty().set("2 MiB");
        });
        assertThat(robot.lookup("#detail-tile").tryQuery()).isPresent();

        robot.interact(() -> {
            table.getColumns().get(1).setSortType(javafx.scene.control.TableColumn.SortType.DESCENDING);
            table.getSortOrder().setAll(List.of(table.getColumns().get(1)));
        });
        robot.interact(() -> console.session.language(Locale.KOREAN));

        TableView<ServiceRowViewModel> after = console.session.mainView().servicesView().table();
        assertThat(after.getSortOrder()).as("the column sorted on").extracting(c -> c.getText() + " " + c.getSortType())
                .containsExactly("이름 DESCENDING");
        assertThat(after.getItems()).extracting(ServiceRowViewModel::name).containsExactly("orders", "billing");
        assertThat(robot.lookup("#tab-services .tab-label").queryLabeled().getText()).isEqualTo("서비스");
        assertThat(console.session.mainView().tabs().getSelectionModel().getSelectedIndex()).as("the dashboard tab").isEqualTo(1);
        assertThat(console.session.mainView().servicesView().table().getSelectionModel().getSelectedItem()).isSameAs(row("orders"));
        assertThat(console.session.services().selectedProperty().get()).isSameAs(row("orders"));
        assertThat(console.session.dashboard().tile("orders#0")).as("the chart and its history").isSameAs(tile);
        assertThat(console.session.dashboard().events()).first().isSameAs(event);
        assertThat(robot.lookup("#detail-tile").tryQuery()).as("the chosen instance, larger").isPresent();
        assertThat(tile.getBadgeText()).startsWith("제한됨");
        assertThat(robot.lookup("#throttle-notice-text").queryLabeled().getText()).as("the throttle notification's line, at once")
                .isEqualTo("orders#0 제한됨: 메모리");
        assertThat(robot.lookup("#status").queryLabeled().getText()).as("the notice, said again in Korean")
                .startsWith("복원할 백업이 있는 서비스를 선택하십시오.");
        assertThat(robot.lookup("#traffic-rate").queryAs(TextField.class).getText()).isEqualTo("750");
        assertThat(robot.lookup("#traffic-size").queryAs(TextField.class).getText()).isEqualTo("2 MiB");
        assertThat(robot.lookup("#traffic-service").queryAs(ComboBox.class).getValue()).isEqualTo("orders");
        assertThat(robot.lookup("#traffic-toggle").queryButton().getText()).isEqualTo("테스트 트래픽 시작");
    }

    @Test
    void theThrottleEventsAlreadyListedAreSaidAgainInTheLanguageSwitchedTo(FxRobot robot) throws Exception {
        waitUntil(() -> console.session.services().row("orders").map(r -> r.getState() == ServiceState.ACTIVE).orElse(false)
                && console.session.dashboard().tile("orders#0") != null);
        long at = System.currentTimeMillis();
        console.instances("orders").get(0).emit(new InstanceEvent.Throttle(new ThrottleTransition(at,
                ThrottleState.NORMAL, ThrottleState.THROTTLED, Set.of(Cause.MEMORY), Optional.empty())));
        waitUntil(() -> !console.session.dashboard().events().isEmpty());
        robot.clickOn("#tab-dashboard .tab-label");
        assertThat(eventLines(robot)).containsExactly(timeOfDay(at, Locale.ENGLISH) + "  orders#0 is throttled: Memory");

        robot.interact(() -> console.session.language(Locale.KOREAN));
        assertThat(eventLines(robot)).containsExactly(timeOfDay(at, Locale.KOREAN) + "  orders#0 제한됨: 메모리");
        robot.interact(() -> console.session.language(Locale.ENGLISH));
        assertThat(eventLines(robot)).containsExactly(timeOfDay(at, Locale.ENGLISH) + "  orders#0 is throttled: Memory");
    }

    @Test
    void theErrorBarStaysAcrossALanguageSwitchSaidInTheNewLanguage(FxRobot robot) throws Exception {
        waitUntil(() -> console.isActive("orders"));
        console.fleet.injectFault("orders", org.sluice.lifecycle.Operation.BACKUP);
        robot.interact(() -> row("orders").command(org.sluice.lifecycle.Operation.BACKUP).execute());
        waitUntil(() -> console.session.mainView().notifications().isShowing());
        assertThat(console.session.mainView().notifications().getText()).startsWith("orders: Backup failed: ");
        // Long after it came: an error stays while the bar shows it, across the switch too.
        console.noticeClock.advance(java.time.Duration.ofMinutes(10));
        org.testfx.util.WaitForAsyncUtils.waitForFxEvents();

        robot.interact(() -> console.session.language(Locale.KOREAN));
        console.noticeClock.advance(java.time.Duration.ofSeconds(1));
        org.testfx.util.WaitForAsyncUtils.waitForFxEvents();
        assertThat(console.session.mainView().notifications().isShowing()).as("the error bar, still there").isTrue();
        assertThat(console.session.mainView().notifications().getText()).isEqualTo("orders: 백업 실패: 주입된 오류(훈련)");
        assertThat(robot.lookup("#status").queryLabeled().getText()).startsWith("orders: 백업 실패: 주입된 오류(훈련)");
    }

    /** The grid's Last operation cells that show something. */
    private static List<javafx.scene.control.TableCell<?, ?>> lastOperationCells(TableView<ServiceRowViewModel> table, Locale locale) {
        String last = locale == Locale.KOREAN ? "마지막 작업" : "Last operation";
        return table.lookupAll(".table-cell").stream().map(n -> (javafx.scene.control.TableCell<?, ?>) n)
                .filter(c -> c.getTableColumn() != null && last.equals(c.getTableColumn().getText()) && !c.isEmpty()
                        && c.getText() != null && !c.getText().isEmpty())
                .<javafx.scene.control.TableCell<?, ?>>map(c -> c).toList();
    }

    @Test
    void in900By600AFailedLastOperationReadsWholeInEitherLanguageWithItsReasonOnHover(FxRobot robot) throws Exception {
        waitUntil(() -> console.isActive("orders") && console.isActive("billing")
                && row("orders").lastOperationProperty().get() != null && row("billing").lastOperationProperty().get() != null);
        console.fleet.injectFault("orders", org.sluice.lifecycle.Operation.RESTART);
        robot.interact(() -> row("orders").command(org.sluice.lifecycle.Operation.RESTART).execute());
        waitUntil(() -> row("orders").lastOperationProperty().get().outcome() == org.sluice.lifecycle.Outcome.FAILED);
        windowAt(robot, 900, 600);
        try {
            for (Locale locale : List.of(Locale.KOREAN, Locale.ENGLISH)) {
                TableView<ServiceRowViewModel> table = switchAndSettle(robot, locale);
                List<javafx.scene.control.TableCell<?, ?>> cells = ConsoleFixture.onFx(() -> lastOperationCells(table, locale));
                assertThat(cells).as("the Last operation cells in %s", locale).hasSize(2);
                List<String> cutOnes = ConsoleFixture.onFx(() -> cells.stream().map(c -> (javafx.scene.control.Labeled) c)
                        .filter(ConsoleLanguageSwitchTest::cut).map(ConsoleLanguageSwitchTest::shown).toList());
                assertThat(cutOnes).as("Last operation cut in %s, columns %s", locale, widths(table)).isEmpty();
                javafx.scene.control.TableCell<?, ?> failed = cells.stream()
                        .filter(c -> c.getTableRow() != null && c.getTableRow().getItem() == row("orders")).findFirst().orElseThrow();
                String reason = locale == Locale.KOREAN ? "주입된 오류(훈련)" : "Injected fault (drill)";
                assertThat(ConsoleFixture.onFx(() -> failed.getTooltip() == null ? null : failed.getTooltip().getText()))
                        .as("the failed operation's tooltip in %s", locale).isNotNull().contains(reason);
            }
        } finally {
            robot.interact(() -> console.session.language(Locale.ENGLISH));
            windowAt(robot, 1400, 820);
        }
    }

    @Test
    void in900By600AThrottledServicesBadgeReadsWholeAsItsFiguresWithItsWordsInTheTooltip(FxRobot robot) throws Exception {
        waitUntil(() -> console.isActive("orders") && console.isActive("billing") && console.session.dashboard().tile("orders#0") != null
                && row("orders").lastOperationProperty().get() != null);
        console.instances("orders").get(0).emit(new InstanceEvent.Throttle(new ThrottleTransition(System.currentTimeMillis(),
                ThrottleState.NORMAL, ThrottleState.THROTTLED, Set.of(Cause.MEMORY), Optional.empty())));
        waitUntil(() -> row("orders").stateSummaryProperty().get().mark() != org.sluice.console.viewmodel.StateSummary.Mark.NONE);
        windowAt(robot, 900, 600);
        try {
            for (Locale locale : List.of(Locale.ENGLISH, Locale.KOREAN)) {
                TableView<ServiceRowViewModel> table = switchAndSettle(robot, locale);
                javafx.scene.control.Label badge = ConsoleFixture.onFx(() -> (javafx.scene.control.Label) robot.lookup((javafx.scene.Node n) ->
                        n instanceof org.sluice.console.controls.StateCell<?> cell && cell.getTableRow() != null
                                && cell.getTableRow().getItem() == row("orders")).queryAs(org.sluice.console.controls.StateCell.class)
                        .getGraphic().lookup(".state-badge"));
                String words = row("orders").stateSummaryProperty().get().badge();
                assertThat(ConsoleFixture.onFx(() -> cut(badge))).as("the badge in %s: %s", locale, ConsoleFixture.onFx(() -> shown(badge)))
                        .isFalse();
                assertThat(ConsoleFixture.onFx(() -> badge.getTooltip().getText())).isEqualTo(words);
                assertThat(ConsoleFixture.onFx(badge::getText)).as("in %s", locale).isIn(words, "1/1");
            }
        } finally {
            windowAt(robot, 1400, 820);
        }
    }

    /** The lines the dashboard's throttle events list shows now. */
    private static List<String> eventLines(FxRobot robot) throws Exception {
        org.testfx.util.WaitForAsyncUtils.waitForFxEvents();
        return ConsoleFixture.onFx(() -> robot.lookup("#throttle-events .list-cell").queryAllAs(javafx.scene.control.ListCell.class)
                .stream().map(javafx.scene.control.ListCell::getText).filter(t -> t != null && !t.isEmpty()).map(String::valueOf).toList());
    }

    /** The time of day {@code ms} as the status line tells it in {@code locale}. */
    private static String timeOfDay(long ms, Locale locale) {
        return java.time.format.DateTimeFormatter.ofLocalizedTime(java.time.format.FormatStyle.MEDIUM).withLocale(locale)
                .format(java.time.Instant.ofEpochMilli(ms).atZone(java.time.ZoneId.systemDefault()));
    }

    @Test
    void theStatusLineSaysWhenItsNoticeCameSwitchesLanguageWithTheConsoleAndFadesToReady(FxRobot robot) throws Exception {
        waitUntil(() -> console.session.services().row("orders").map(r -> r.getState() == ServiceState.ACTIVE).orElse(false));
        long at = console.noticeClock.getAsLong();
        // Nothing selected: the console says what to select, an info.
        robot.interact(() -> console.session.services().restoreService());
        assertThat(robot.lookup("#status").queryLabeled().getText())
                .isEqualTo("Select the service whose backup you want to restore. (at " + timeOfDay(at, Locale.ENGLISH) + ")");

        robot.interact(() -> console.session.language(Locale.KOREAN));
        assertThat(robot.lookup("#status").queryLabeled().getText())
                .isEqualTo("복원할 백업이 있는 서비스를 선택하십시오. (" + timeOfDay(at, Locale.KOREAN) + "에 알림)");

        console.noticeClock.advance(java.time.Duration.ofMillis(9_999));
        org.testfx.util.WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#status").queryLabeled().getText()).as("not yet ten seconds").startsWith("복원할");
        console.noticeClock.advance(java.time.Duration.ofMillis(1));
        waitUntil(() -> "준비됨".equals(ConsoleFixture.onFx(() -> robot.lookup("#status").queryLabeled().getText())));
        assertThat(robot.lookup("#status").queryLabeled().getStyleClass()).as("no longer coloured as a notice")
                .noneMatch(style -> style.startsWith("notice-"));
        robot.interact(() -> console.session.language(Locale.ENGLISH));
        assertThat(robot.lookup("#status").queryLabeled().getText()).isEqualTo("Ready");
    }

    @Test
    void theViewsBeforeASwitchLetGoOfTheViewModelsAndNothingKeepsThem(FxRobot robot) throws Exception {
        waitUntil(() -> console.session.services().row("orders").map(r -> r.getState() == ServiceState.ACTIVE).orElse(false)
                && console.session.dashboard().tile("orders#0") != null);
        // Every view made: the details' tabs with the log, and the dashboard with its tiles.
        robot.interact(() -> console.session.mainView().servicesView().table().getSelectionModel().select(row("orders")));
        robot.clickOn("#tab-dashboard .tab-label");
        List<WeakReference<Object>> old = new ArrayList<>();
        int held = firstSwitch(robot, old);
        for (int i = 0; i < 10; i++) {
            Locale next = i % 2 == 0 ? Locale.ENGLISH : Locale.KOREAN;
            robot.interact(() -> {
                old.add(new WeakReference<>(console.session.mainView()));
                old.add(new WeakReference<>(console.session.dashboardView()));
                console.session.language(next);
                // The dashboard tab is shown again, so each new view makes its dashboard too.
                console.session.dashboardView();
            });
            assertThat(ConsoleFixture.onFx(console.session.mainView()::subscriptionCount)).as("after switch %d", i + 1).isEqualTo(held);
        }
        assertThat(stillHeld(old)).as("old views that something still holds").isZero();
    }

    /**
     * Switches once and checks that the first views no longer follow the view models; leaves only
     * weak references to them in {@code old}, and answers what the first main view had registered.
     */
    private int firstSwitch(FxRobot robot, List<WeakReference<Object>> old) throws Exception {
        MainView first = console.session.mainView();
        DashboardView firstDashboard = ConsoleFixture.onFx(console.session::dashboardView);
        int held = ConsoleFixture.onFx(first::subscriptionCount);
        assertThat(held).as("what the first view registered on the view models").isPositive();

        String firstStatus = ConsoleFixture.onFx(() -> statusOf(first));
        robot.interact(() -> console.session.language(Locale.KOREAN));
        assertThat(ConsoleFixture.onFx(first::subscriptionCount)).as("what the old view still holds").isZero();
        // A notice reaches the new view's status line, not the old one's.
        robot.interact(() -> console.session.services().restoreService());
        waitUntil(() -> !statusOf(console.session.mainView()).equals("준비됨"));
        assertThat(ConsoleFixture.onFx(() -> statusOf(first))).as("the old status line").isEqualTo(firstStatus);
        old.add(new WeakReference<>(first));
        old.add(new WeakReference<>(firstDashboard));
        return held;
    }

    private static void runOnFx(Runnable onFx) throws Exception {
        ConsoleFixture.onFx(() -> {
            onFx.run();
            return null;
        });
    }

    private static String statusOf(MainView view) {
        return ((javafx.scene.control.Label) view.lookup("#status")).getText();
    }

    /** How many of {@code references} still hold their view after the collector had its chances. */
    private static long stillHeld(List<WeakReference<Object>> references) throws Exception {
        // TestFX keeps every event fired in the window, and each names its target; registering
        // the stage again starts a new, empty record.
        org.testfx.api.FxToolkitContext context = org.testfx.api.FxToolkit.toolkitContext();
        runOnFx(() -> context.setRegisteredStage(context.getRegisteredStage()));
        for (int attempt = 0; attempt < 50; attempt++) {
            org.testfx.util.WaitForAsyncUtils.waitForFxEvents();
            System.gc();
            if (references.stream().allMatch(r -> r.get() == null)) {
                return 0;
            }
        }
        return references.stream().filter(r -> r.get() != null).count();
    }

    /**
     * Switches the console's language and waits for the new grid: it is laid out on a later pulse,
     * so wait for it to have a width and for its columns to settle within it. A grid that does not
     * settle is left to the caller's assertions to say.
     */
    private TableView<ServiceRowViewModel> switchAndSettle(FxRobot robot, Locale locale) {
        robot.interact(() -> console.session.language(locale));
        TableView<ServiceRowViewModel> table = console.session.mainView().servicesView().table();
        try {
            org.testfx.util.WaitForAsyncUtils.waitFor(5, java.util.concurrent.TimeUnit.SECONDS, () -> table.getWidth() > 0
                    && table.getVisibleLeafColumns().stream().mapToDouble(c -> c.getWidth()).sum()
                    <= table.getWidth() - table.snappedLeftInset() - table.snappedRightInset());
        } catch (java.util.concurrent.TimeoutException notYet) {
            // Said by the assertions that follow.
        }
        org.testfx.util.WaitForAsyncUtils.waitForFxEvents();
        return table;
    }
}
