package org.sluice.console.viewmodel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.sluice.fleet.InvalidDefinitionException;
import org.sluice.fleet.UnknownServiceException;
import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.OperationNotAllowedException;
import org.sluice.lifecycle.ServiceDefinition;
import org.sluice.lifecycle.ServiceState;

/** What the console tells the user, without the JavaFX toolkit. */
class NoticesViewModelTest {
    /** 07:06:24 UTC on a day in 2026. */
    private static final long AT = 1_780_297_584_000L;
    private final I18n i18n = new I18n(Locale.ENGLISH);
    private final AtomicLong now = new AtomicLong(AT);
    private final NoticesViewModel notices = new NoticesViewModel(i18n, now::get, ZoneOffset.UTC);

    @Test
    void theNewestNoticeIsTheLatestAndOnlyTheLastFewHundredAreKept() {
        assertThat(notices.latestProperty().get()).isNull();
        int posted = NoticesViewModel.MAX_NOTICES + 5;
        for (int i = 0; i < posted; i++) {
            notices.post(Notice.Kind.INFO, "orders", "notice " + i);
        }
        assertThat(notices.all()).hasSize(NoticesViewModel.MAX_NOTICES);
        assertThat(notices.all().get(0).text()).isEqualTo("notice 5");
        assertThat(notices.latestProperty().get().text()).isEqualTo("notice " + (posted - 1));
        assertThatThrownBy(() -> notices.all().clear()).as("only view models post or drop notices")
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aCommandTheFleetRefusedIsAnErrorThatSaysWhy() {
        notices.commandFailed("orders", Operation.SUSPEND, new OperationNotAllowedException(ServiceState.STOPPED, Operation.SUSPEND));
        assertThat(notices.latestProperty().get().kind()).isEqualTo(Notice.Kind.ERROR);
        assertThat(notices.latestProperty().get().service()).isEqualTo("orders");
        assertThat(notices.latestProperty().get().text())
                .isEqualTo("orders: Operation not allowed. Suspend is not allowed while the service is Stopped.");

        notices.commandFailed("orders", Operation.STOP, new UnknownServiceException("orders"));
        assertThat(notices.latestProperty().get().text()).isEqualTo("orders: there is no such service any more.");

        notices.commandFailed("orders", Operation.CREATE,
                new InvalidDefinitionException(List.of(new ServiceDefinition.Problem("units", "must be 1 to 8"))));
        assertThat(notices.latestProperty().get().text()).isEqualTo("orders: the definition is not valid: units: must be 1 to 8");

        notices.commandFailed("orders", Operation.START, new IllegalStateException("the host is closed"));
        assertThat(notices.latestProperty().get().text()).as("a host that refused and a host not reached read alike: the reason says which").isEqualTo("orders: Start failed: the host is closed");
    }

    @Test
    void theLastErrorStaysTheAlertUntilASuccessAboutTheSameThing() {
        notices.post(Notice.Kind.ERROR, "orders", "orders: Start failed");
        assertThat(notices.alertProperty().get().text()).isEqualTo("orders: Start failed");
        notices.post(Notice.Kind.SUCCESS, "billing", "billing: Stop succeeded");
        assertThat(notices.alertProperty().get()).as("another service's success").isNotNull();
        notices.post(Notice.Kind.SUCCESS, "orders", "orders: Start succeeded");
        assertThat(notices.alertProperty().get()).isNull();

        notices.postAboutHost(Notice.Kind.ERROR, "branch", "Lost the connection to branch");
        notices.post(Notice.Kind.SUCCESS, null, "Connected to depot");
        assertThat(notices.alertProperty().get().text()).isEqualTo("Lost the connection to branch");
        notices.postAboutHost(Notice.Kind.SUCCESS, "branch", "branch is connected again.");
        assertThat(notices.alertProperty().get()).isNull();
        assertThat(notices.latestProperty().get().text()).isEqualTo("branch is connected again.");
    }

    /** The time of day {@code AT} in {@code locale}'s own format, as the status line gives it. */
    private static String timeOfAt(Locale locale) {
        return DateTimeFormatter.ofLocalizedTime(FormatStyle.MEDIUM).withLocale(locale).format(LocalTime.of(7, 6, 24));
    }

    @Test
    void theStatusLineSaysTheNoticeAndWhenItCame() {
        assertThat(notices.statusProperty().get()).as("nothing said yet").isEqualTo("Ready");
        notices.post(Notice.Kind.SUCCESS, "orders", i18n.phrase("notice.operationSucceeded", "orders", i18n.operationPhrase(Operation.STOP)));
        assertThat(notices.statusProperty().get()).isEqualTo("orders: Stop succeeded (at " + timeOfAt(Locale.ENGLISH) + ")");
        assertThat(timeOfAt(Locale.ENGLISH)).startsWith("7:06:24");
        assertThat(notices.statusKindProperty().get()).isEqualTo(Notice.Kind.SUCCESS);
    }

    @Test
    void aNoticeAlreadyShownIsSaidAgainInTheNewLanguageWithItsWords() {
        notices.commandFailed("orders", Operation.SUSPEND, new OperationNotAllowedException(ServiceState.STOPPED, Operation.SUSPEND));
        Notice before = notices.latestProperty().get();

        i18n.use(Locale.KOREAN);

        Notice after = notices.latestProperty().get();
        assertThat(after.text()).isEqualTo("orders: 작업 허용 안 됨. 서비스가 중지 상태일 때는 일시 중단을 할 수 없습니다.")
                .isEqualTo(i18n.get("notice.notAllowed", "orders", i18n.operation(Operation.SUSPEND), i18n.state(ServiceState.STOPPED)));
        assertThat(after.atMs()).isEqualTo(before.atMs());
        assertThat(notices.alertProperty().get()).as("the error bar too").isSameAs(after);
        assertThat(notices.all()).containsExactly(after);
        assertThat(notices.statusProperty().get()).isEqualTo(after.text() + " (" + timeOfAt(Locale.KOREAN) + "에 알림)");

        i18n.use(Locale.ENGLISH);
        assertThat(notices.latestProperty().get().text()).isEqualTo(before.text());
    }

    @Test
    void successAndInfoFadeToReadyTenSecondsAfterTheyCame() {
        notices.post(Notice.Kind.SUCCESS, "orders", i18n.phrase("notice.operationSucceeded", "orders", i18n.operationPhrase(Operation.STOP)));
        notices.tick(AT + 9_999);
        assertThat(notices.statusProperty().get()).startsWith("orders: Stop succeeded");
        notices.tick(AT + 10_000);
        assertThat(notices.statusProperty().get()).isEqualTo("Ready");
        assertThat(notices.statusKindProperty().get()).isNull();
        i18n.use(Locale.KOREAN);
        assertThat(notices.statusProperty().get()).isEqualTo("준비됨");

        now.set(AT + 20_000);
        notices.post(Notice.Kind.INFO, null, i18n.phrase("notice.selectForRestore"));
        assertThat(notices.statusProperty().get()).startsWith("복원할 백업이 있는 서비스를 선택하십시오.");
        notices.tick(AT + 29_000);
        assertThat(notices.statusKindProperty().get()).isEqualTo(Notice.Kind.INFO);
        notices.tick(AT + 30_000);
        assertThat(notices.statusProperty().get()).isEqualTo("준비됨");
    }

    @Test
    void anErrorStaysWhileTheErrorBarShowsIt() {
        notices.post(Notice.Kind.ERROR, "orders", "orders: Start failed");
        notices.tick(AT + 60_000);
        assertThat(notices.statusProperty().get()).startsWith("orders: Start failed");
        assertThat(notices.statusKindProperty().get()).isEqualTo(Notice.Kind.ERROR);

        notices.dismiss();
        notices.tick(AT + 60_001);
        assertThat(notices.statusProperty().get()).isEqualTo("Ready");
    }
}
