package org.sluice.bench;

import javafx.application.Application;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.FXCollections;
import javafx.scene.Scene;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.stage.Stage;

import atlantafx.base.theme.PrimerLight;

/**
 * A second yardstick: the smallest app that shows what the console's first frame must show, a
 * themed table with a few rows (the console's theme, five text columns, three rows) and nothing
 * else: no store, no host, no icons, no menus. It tells how much of the console's startup any
 * JavaFX app with a table pays.
 */
public final class MinimalTableApp {
    private MinimalTableApp() {
    }

    /** The whole application. */
    public static final class Window extends Application {
        @Override
        public void start(Stage stage) {
            Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
            TableView<String> table = new TableView<>(FXCollections.observableArrayList("audit", "invoices", "orders"));
            table.setId("table");
            for (String header : new String[] {"Name", "State", "Units and instances", "Endpoint", "Last operation"}) {
                TableColumn<String, String> column = new TableColumn<>(header);
                column.setCellValueFactory(row -> new ReadOnlyObjectWrapper<>(row.getValue()));
                table.getColumns().add(column);
            }
            stage.setScene(new Scene(table, 1400, 860));
            stage.setTitle("Minimal table");
            stage.show();
        }
    }

    /** Runs the app and quits a moment after its first frame with the rows drawn. */
    public static void main(String[] args) {
        FirstFrameProbe.watch(scene -> scene.lookup("#table") instanceof TableView<?> table
                        && table.lookupAll(".table-row-cell").stream()
                        .anyMatch(node -> node instanceof TableRow<?> row && row.isVisible() && row.getItem() != null),
                scene -> Footprint.afterSettling(scene, Platform::exit));
        Application.launch(Window.class, args);
    }
}
