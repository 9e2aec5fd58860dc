package org.sluice.console.viewmodel;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sluice.fleet.OperationTicket;
import org.sluice.fleet.group.FleetGroup;
import org.sluice.fleet.local.LocalFleet;
import org.sluice.lifecycle.BackupInfo;
import org.sluice.lifecycle.Lifecycle;
import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.ServiceDefinition;
import org.sluice.lifecycle.ServiceState;
import org.sluice.runtime.FakeLauncher;
import org.sluice.runtime.FrontDoor;
import org.sluice.runtime.Host;
import org.sluice.runtime.InMemoryJournal;

/**
 * Every resting state of the chart can be reached from the console: the walk uses only what the
 * console offers (the row commands, the account menu, the drills, create and restore) against a
 * real host whose instance processes are fakes. Create and Restore fail because the new service's
 * instance does not start, which is the real way they fail.
 */
class ServicesViewModelStateWalkTest {
    private final FakeLauncher launcher = new FakeLauncher();
    private final Host host = new Host(launcher, new InMemoryJournal(), InstantSource.system(),
            new Host.Settings(Duration.ofSeconds(5), Duration.ofSeconds(5)));
    private final ScriptedDialogs dialogs = new ScriptedDialogs();
    private final I18n english = new I18n(Locale.ENGLISH);
    private final NoticesViewModel notices = new NoticesViewModel(english);
    /** What the console's commands were accepted with since the last step. */
    private final List<OperationTicket> accepted = new CopyOnWriteArrayList<>();
    private final Set<ServiceState> reached = EnumSet.noneOf(ServiceState.class);
    private FrontDoor door;
    private FleetGroup group;
    private ServicesViewModel model;

    @BeforeEach
    void open() throws Exception {
        door = FrontDoor.open(host, 0);
        group = new FleetGroup(new LocalFleet(host, door, "console:walk", () -> {
            door.close();
            host.close();
        }));
        BackgroundExecutor recording = new BackgroundExecutor() {
            @Override
            public <T> void run(Callable<T> work, Consumer<T> onSuccess, Consumer<Throwable> onFailure) {
                BackgroundExecutor.sameThread().run(work, result -> {
                    if (result instanceof OperationTicket ticket) {
                        accepted.add(ticket);
                    } else if (result instanceof List<?> list) {
                        list.stream().filter(OperationTicket.class::isInstance).map(OperationTicket.class::cast).forEach(accepted::add);
                    }
                    onSuccess.accept(result);
                }, onFailure);
            }
        };
        HostsViewModel hosts = new HostsViewModel(group, RemoteHostsForTests.NONE, new MemoryConnections(), english, recording,
                dialogs, notices, System::currentTimeMillis);
        model = new ServicesViewModel(group, hosts, Lifecycle.standard(), english, recording, dialogs, notices);
        model.load(group.snapshot());
    }

    @AfterEach
    void close() {
        group.close();
    }

    /** Waits for what was accepted to end, then shows the console the fleet as it is now. */
    private void settle() throws Exception {
        assertThat(accepted).as("the console's command was accepted").isNotEmpty();
        for (OperationTicket ticket : accepted) {
            ticket.completion().get(10, TimeUnit.SECONDS);
        }
        accepted.clear();
        model.load(group.snapshot());
        model.rows().forEach(row -> reached.add(row.getState()));
        assertThat(notices.latestProperty().get() == null ? "" : notices.latestProperty().get().text())
                .doesNotContain("Operation not allowed");
    }

    private ServiceRowViewModel row(String name) {
        return model.row(name).orElseThrow();
    }

    private ServiceState run(String service, Operation operation) throws Exception {
        OperationCommand command = row(service).command(operation);
        assertThat(command.isExecutable()).as("%s on %s (%s)", operation, service, row(service).getState()).isTrue();
        command.execute();
        settle();
        return row(service).getState();
    }

    private ServiceState drilled(String service, Operation operation) throws Exception {
        drill(service, operation);
        return run(service, operation);
    }

    private void drill(String service, Operation operation) {
        model.selectedProperty().set(row(service));
        dialogs.drill = Optional.of(operation);
        model.armDrill();
    }

    private void create(String name) throws Exception {
        dialogs.definition = Optional.of(new ServiceDefinition(name, 1, 1, 256, ServiceDefinition.Validation.NONE, null, null,
                "dir:/tmp/" + name));
        model.createService();
        settle();
    }

    @Test
    void everyStateOfTheChartCanBeReachedFromTheConsole() throws Exception {
        dialogs.confirmAccount = true;
        dialogs.confirmServiceUpdate = true;
        dialogs.confirmDelete = true;
        create("a");
        create("b");
        create("c");
        assertThat(row("a").getState()).isEqualTo(ServiceState.ACTIVE);

        // The account: b's Disable fails, the others are Disabled; then c's Enable fails.
        drill("b", Operation.DISABLE);
        model.disableAccount();
        settle();
        assertThat(row("a").getState()).isEqualTo(ServiceState.DISABLED);
        assertThat(row("b").getState()).isEqualTo(ServiceState.DISABLE_FAILED);
        drill("c", Operation.ENABLE);
        model.enableAccount();
        settle();
        assertThat(row("a").getState()).isEqualTo(ServiceState.ACTIVE);
        assertThat(row("c").getState()).isEqualTo(ServiceState.ENABLE_FAILED);

        // One service through the chart's operations, each failing once by drill.
        create("d");
        assertThat(run("d", Operation.STOP)).isEqualTo(ServiceState.STOPPED);
        assertThat(drilled("d", Operation.START)).isEqualTo(ServiceState.START_FAILED);
        assertThat(drilled("d", Operation.STOP)).isEqualTo(ServiceState.STOP_FAILED);
        assertThat(drilled("d", Operation.RESTART)).isEqualTo(ServiceState.RESTART_FAILED);
        assertThat(run("d", Operation.START)).isEqualTo(ServiceState.ACTIVE);
        assertThat(run("d", Operation.SUSPEND)).isEqualTo(ServiceState.SUSPENDED);
        assertThat(run("d", Operation.RESUME)).isEqualTo(ServiceState.ACTIVE);
        assertThat(drilled("d", Operation.SUSPEND)).isEqualTo(ServiceState.SUSPEND_FAILED);
        assertThat(drilled("d", Operation.RESUME)).isEqualTo(ServiceState.RESUME_FAILED);
        assertThat(run("d", Operation.RESUME)).isEqualTo(ServiceState.ACTIVE);
        dialogs.units = Optional.of(2);
        assertThat(drilled("d", Operation.SCALE)).isEqualTo(ServiceState.SCALE_FAILED);
        assertThat(run("d", Operation.SCALE)).isEqualTo(ServiceState.ACTIVE);
        dialogs.definition = Optional.of(row("d").getDefinition().withUnits(1));
        assertThat(drilled("d", Operation.UPDATE_CONFIGURATION)).isEqualTo(ServiceState.CONFIG_UPDATE_FAILED);
        assertThat(run("d", Operation.RESTART)).isEqualTo(ServiceState.ACTIVE);
        assertThat(run("d", Operation.BACKUP)).isEqualTo(ServiceState.ACTIVE);
        assertThat(drilled("d", Operation.SERVICE_UPDATE)).isEqualTo(ServiceState.SERVICE_UPDATE_FAILED);

        // A new service whose instance does not start.
        launcher.nextLaunch("e", 0, FakeLauncher.Behaviour.FAILS_TO_START);
        create("e");
        assertThat(row("e").getState()).isEqualTo(ServiceState.CREATE_FAILED);

        // d's backup restored under a name whose instance does not start.
        BackupInfo backup = group.backups("d").get(0);
        launcher.nextLaunch("f", 0, FakeLauncher.Behaviour.FAILS_TO_START);
        dialogs.restore = Optional.of(new DialogService.RestoreChoice(backup.id(), "f"));
        model.selectedProperty().set(row("d"));
        model.restoreService();
        settle();
        assertThat(row("f").getState()).isEqualTo(ServiceState.RESTORE_FAILED);

        List<ServiceState> resting = new ArrayList<>(Arrays.stream(ServiceState.values()).filter(s -> !s.isTransitional()).toList());
        assertThat(resting).hasSize(16);
        assertThat(reached).containsAll(resting);
    }
}
