package org.sluice.console.viewmodel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.sluice.fleet.InvalidDefinitionException;
import org.sluice.fleet.UnknownServiceException;
import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.OperationNotAllowedException;
import org.sluice.lifecycle.ServiceDefinition;
import org.sluice.lifecycle.ServiceState;

/** What the console tells the user, without the JavaFX toolkit. */
class NoticesViewModelTest {
    private final NoticesViewModel notices = new NoticesViewModel(new I18n(Locale.ENGLISH));

    @Test
    void theNewestNoticeIsTheLatestAndOnlyTheLastFewHundredAreKept() {
        assertThat(notices.latestProperty().get()).isNull();
        int posted = NoticesViewModel.MAX_NOTICES + 5;
        for (int i = 0; i < posted; i++) {
            notices.post(Notice.Kind.INFO, "orders", "notice " + i);
        }
        assertThat(notices.all()).hasSize(NoticesViewModel.MAX_NOTICES);
        assertThat(notices.all().get(0).text()).isEqualTo("notice 5");
        assertThat(notices.latestProperty().get()).isEqualTo(new Notice(Notice.Kind.INFO, "orders", "notice " + (posted - 1)));
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
}
