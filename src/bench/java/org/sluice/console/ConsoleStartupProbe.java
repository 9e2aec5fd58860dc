package org.sluice.console;

import javafx.application.Application;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.stage.WindowEvent;

import org.sluice.bench.FirstFrameProbe;
import org.sluice.bench.Footprint;
import org.sluice.cli.SluiceMain;

/**
 * Runs the real console ({@link ConsoleApp}, unchanged) and says when the first frame with the
 * services grid populated (a row showing a service of the snapshot) is drawn; then closes the
 * window the way a user does, which stops the role instances.
 *
 * <p>With {@code --through-main} it starts the console the way the installed launcher does: through
 * {@link SluiceMain}, whose command line is parsed before the console opens.
 */
public final class ConsoleStartupProbe {
    private ConsoleStartupProbe() {
    }

    public static void main(String[] args) {
        FirstFrameProbe.watch(ConsoleStartupProbe::gridPopulated, scene -> Footprint.afterSettling(scene,
                () -> scene.getWindow().fireEvent(new WindowEvent(scene.getWindow(), WindowEvent.WINDOW_CLOSE_REQUEST))));
        if (java.util.List.of(args).contains("--through-main")) {
            SluiceMain.main(new String[0]);
        } else {
            Application.launch(ConsoleApp.class);
        }
    }

    static boolean gridPopulated(Scene scene) {
        if (!(scene.lookup("#services-table") instanceof TableView<?> table) || table.getItems().isEmpty()) {
            return false;
        }
        for (Node node : table.lookupAll(".table-row-cell")) {
            if (node instanceof TableRow<?> row && row.isVisible() && row.getItem() != null) {
                return true;
            }
        }
        return false;
    }
}
