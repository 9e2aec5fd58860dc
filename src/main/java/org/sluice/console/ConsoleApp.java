package org.sluice.console;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javafx.animation.AnimationTimer;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.value.ChangeListener;
import javafx.beans.value.ObservableValue;
import javafx.geometry.Pos;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.TabPane;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import org.sluice.console.view.FxDialogService;
import org.sluice.console.view.MainView;
import org.sluice.console.viewmodel.I18n;
import org.sluice.console.viewmodel.RemoteHosts;
import org.sluice.fleet.HostInUseException;
import org.sluice.fleet.OpeningFleet;
import org.sluice.fleet.group.FleetGroup;
import org.sluice.fleet.local.LocalFleet;
import org.sluice.fleet.remote.RemoteFleet;
import org.sluice.lifecycle.Lifecycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console application: opens the embedded local host off the JavaFX thread, shows the
 * services and the dashboard, and stops the role instances it started when the window closes.
 */
public final class ConsoleApp extends Application {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleApp.class);
    static final String STYLESHEET = "/org/sluice/console/sluice.css";
    static final int DEFAULT_PORT = 7070;
    /** Window icons rendered from assets/icon/sluice.svg by packaging/icons.sh; the window manager picks a size. */
    private static final int[] ICON_SIZES = {16, 32, 64, 256};
    /**
     * Set by the training run behind the ahead-of-time cache ({@code sluice train}): the console
     * opens as usual, shows the dashboard once the instances are asked back, and closes itself.
     */
    private static final boolean TRAINING = Boolean.getBoolean("sluice.training");
    /** About three seconds of frames on the dashboard before a training run closes. */
    private static final int TRAINING_FRAMES = 180;
    /** How long a window that is not drawn holds back the role instances of the last run, at most. */
    static final long RELAUNCH_BOUND_S = 5;

    private final ConsoleSettings settings = ConsoleSettings.user();
    private final FxExecutor executor = new FxExecutor();
    private Stage stage;
    private FleetGroup fleet;
    private ConsoleSession session;
    /** The local host once it is open; its instances are relaunched once the console shows it. */
    private LocalFleet opened;
    private boolean relaunchArranged;
    /** What the window says when the local host could not be opened; then there is no console. */
    private String openingFailed;
    /** The remembered connections, their keys in the keychain when one answered (one file for every session). */
    private ConnectionsFile connections;

    @Override
    public void start(Stage primary) {
        this.stage = primary;
        applyTheme(dark());
        I18n i18n = new I18n(locale());
        stage.setTitle(i18n.get("app.title"));
        for (int size : ICON_SIZES) {
            // Decoded in the background: the window need not wait for its icons.
            stage.getIcons().add(new Image(ConsoleApp.class.getResource("icon/sluice-" + size + ".png").toExternalForm(), true));
        }
        placeWindow();
        connections = connections();
        stage.setScene(new Scene(waiting(i18n.get("startup.opening")), stage.getWidth(), stage.getHeight()));
        stage.getScene().getStylesheets().add(STYLESHEET);
        stage.setOnCloseRequest(e -> {
            e.consume();
            quit();
        });

        // The window is built while the host opens on a worker thread; the grid fills in when it
        // is open, and only then do the instance JVMs of the last run start, once the services
        // are on screen.
        Path data = dataFolder();
        // The operation log names the console as the issuer of what it asks of its own host.
        String requester = "console";
        OpeningFleet opening = new OpeningFleet();
        // The own host, still opening, with the remote hosts the operator connects to beside it.
        fleet = new FleetGroup(opening);
        executor.run(() -> {
            try {
                                LocalFleet local = LocalFleet.openOnThisMachine(data, DEFAULT_PORT, requester, true);
                opening.opened(local);
                return local;
            } catch (IOException | RuntimeException e) {
                opening.failed(e);
                throw e;
            }
        }, local -> {
            opened = local;
            relaunchOnceShown();
        }, failure -> {
            LOG.error("The local host could not be opened in {}", data, failure);
            openingFailed = failure instanceof HostInUseException inUse
                    ? i18n.get("startup.inUse", data, inUse.holder().isPresent()
                            ? i18n.get("startup.inUse.process", String.valueOf(inUse.holder().getAsLong())) : "")
                    : i18n.get("startup.failed", data, String.valueOf(failure.getMessage()));
            stage.getScene().setRoot(waiting(openingFailed));
        });
        // The window comes up at once with the opening screen; the console is built once that
        // frame is drawn.
        stage.show();
        afterFrames(2, this::showMain);
    }

    /**
     * Lets the role instances of the last run start once the frame with the grid showing the
     * services has been drawn: their JVMs would otherwise take the cores the window needs to come
     * up, the renderer's painting of that first full frame included. Needs both the opened host
     * and the console; whichever comes second arranges it, once. A window that is not drawn holds
     * them back for {@link #RELAUNCH_BOUND_S} seconds at most: the services come up by themselves.
     */
    private void relaunchOnceShown() {
        if (opened == null || session == null || relaunchArranged) {
            return;
        }
        relaunchArranged = true;
        LocalFleet local = opened;
        ReadOnlyBooleanProperty loading = session.services().loadingProperty();
        Runnable afterTheGridIsDrawn = () -> AfterPaint.run(stage.getScene(),
                CompletableFuture.delayedExecutor(RELAUNCH_BOUND_S, TimeUnit.SECONDS), () -> relaunch(local));
        if (!loading.get()) {
            afterTheGridIsDrawn.run();
            return;
        }
        // Loaded just before the grid's rows are put in the window, in the same turn of the JavaFX thread.
        loading.addListener(new ChangeListener<>() {
            @Override
            public void changed(ObservableValue<? extends Boolean> value, Boolean before, Boolean now) {
                if (!now) {
                    value.removeListener(this);
                    afterTheGridIsDrawn.run();
                }
            }
        });
    }

    private void relaunch(LocalFleet local) {
        if (session == null) {
            // The window was closed meanwhile: the host is stopping.
            return;
        }
        executor.run(() -> {
            local.relaunchInstances();
            return null;
        }, done -> {
            if (TRAINING) {
                finishTraining();
            }
        }, failure -> LOG.error("The role instances could not be started again", failure));
    }

    private void finishTraining() {
        if (stage.getScene().getRoot().lookup(".tab-pane") instanceof TabPane tabs) {
            tabs.getSelectionModel().selectLast();
        }
        afterFrames(TRAINING_FRAMES, this::quit);
    }

    /** Runs {@code then} on the JavaFX thread at the start of the {@code frames}-th pulse from now. */
    private static void afterFrames(int frames, Runnable then) {
        new AnimationTimer() {
            private int left = frames;

            @Override
            public void handle(long now) {
                if (--left <= 0) {
                    stop();
                    then.run();
                }
            }
        }.start();
    }

    /** The saved theme, unless {@code -Dsluice.theme=light|dark} says otherwise for this run. */
    private boolean dark() {
        String forced = System.getProperty("sluice.theme");
        return forced != null ? "dark".equalsIgnoreCase(forced) : settings.theme() == ConsoleSettings.Theme.DARK;
    }

    private Path dataFolder() {
        String configured = System.getProperty("sluice.data");
        return configured != null ? Path.of(configured) : LocalFleet.defaultData();
    }

    private Locale locale() {
        return settings.language().orElse(Locale.getDefault());
    }

    /**
     * The screen shown while the console is built or stopped: Sluice's icon and what is going on,
     * all still. A spinner here kept every pulse of the start busy animating it.
     */
    static Parent waiting(String text) {
        // Decoded in the background, as the window's icons are: the screen need not wait for it.
        ImageView icon = new ImageView(new Image(ConsoleApp.class.getResource("icon/sluice-64.png").toExternalForm(), true));
        icon.setFitWidth(48);
        icon.setFitHeight(48);
        icon.setPreserveRatio(true);
        icon.getStyleClass().add("waiting-icon");
        Label label = new Label(text);
        label.setWrapText(true);
        VBox box = new VBox(16, icon, label);
        box.setAlignment(Pos.CENTER);
        box.getStyleClass().add("waiting");
        return box;
    }

    /**
     * The remembered connections in the console's folder. Whether the platform's keychain keeps
     * their keys is asked now, on a thread of its own and for {@link KeychainProbe#BOUND} at most:
     * the first load of the connections, in the background, waits for that answer, never the FX
     * thread. {@code -Dsluice.keychain=off} keeps the keys in the file even where a keychain answers.
     */
    private static ConnectionsFile connections() {
        if ("off".equalsIgnoreCase(System.getProperty("sluice.keychain", ""))) {
            return new ConnectionsFile(ConsoleSettings.folder());
        }
        KeychainProbe keychain = KeychainProbe.start(System.getProperty("os.name", ""), System.getenv(), KeychainProbe.BOUND);
        return new ConnectionsFile(ConsoleSettings.folder(), keychain::store);
    }

    /** Builds the window content once the opening screen is drawn, and shows it once its grid is filled. */
    private void showMain() {
        if (openingFailed != null) {
            return;
        }
        if (session != null) {
            session.close();
        }
        I18n i18n = new I18n(locale());
        stage.setTitle(i18n.get("app.title"));
        ConsoleSession made = new ConsoleSession(fleet, Lifecycle.standard(), i18n, executor, new FxDialogService(i18n, stage),
                shell(), System::currentTimeMillis, HttpTraffic::start, RemoteHosts.overHttps(RemoteFleet.Settings.defaults()),
                connections);
        session = made;
        // The opening screen stays until the grid holds the services: the console's first frame
        // then has them, and the window is styled, laid out and drawn once instead of twice (empty,
        // then filled). A host that could not be read shows the console too, saying why.
        made.start(() -> {
            if (session == made && openingFailed == null) {
                stage.getScene().setRoot(made.view());
            }
        });
        relaunchOnceShown();
    }

    private MainView.Shell shell() {
        return new MainView.Shell() {
            @Override
            public boolean isDark() {
                return ConsoleApp.this.dark();
            }

            @Override
            public void dark(boolean dark) {
                settings.theme(dark ? ConsoleSettings.Theme.DARK : ConsoleSettings.Theme.LIGHT);
                settings.save();
                applyTheme(dark);
            }

            @Override
            public Optional<Locale> language() {
                return settings.language();
            }

            @Override
            public void language(Optional<Locale> locale) {
                settings.language(locale);
                settings.save();
                // In place: the selection, the tab, the charts, the notices and the test traffic stay.
                session.language(locale());
                stage.setTitle(new I18n(locale()).get("app.title"));
            }

            @Override
            public void quit() {
                ConsoleApp.this.quit();
            }
        };
    }

    private static void applyTheme(boolean dark) {
        Application.setUserAgentStylesheet(dark ? new PrimerDark().getUserAgentStylesheet() : new PrimerLight().getUserAgentStylesheet());
    }

    private void placeWindow() {
        Optional<double[]> saved = settings.window();
        if (saved.isPresent()) {
            double[] b = saved.get();
            stage.setX(b[0]);
            stage.setY(b[1]);
            stage.setWidth(b[2]);
            stage.setHeight(b[3]);
            stage.setMaximized(settings.maximized());
        } else {
            stage.setWidth(1400);
            stage.setHeight(860);
        }
    }

    /** Saves the window, stops the role instances off the JavaFX thread, then exits. */
    private void quit() {
        settings.window(stage.getX(), stage.getY(), stage.getWidth(), stage.getHeight(), stage.isMaximized());
        settings.save();
        if (session != null) {
            session.close();
            session = null;
        }
        I18n i18n = new I18n(locale());
        stage.getScene().setRoot(waiting(i18n.get("shutdown.stopping")));
        FleetGroup closing = fleet;
        executor.run(() -> {
            if (closing != null) {
                closing.close();
            }
            return List.of();
        }, done -> Platform.exit(), failure -> {
            LOG.error("Stopping the local host failed", failure);
            Platform.exit();
        });
    }

    @Override
    public void stop() {
        executor.close();
    }
}
