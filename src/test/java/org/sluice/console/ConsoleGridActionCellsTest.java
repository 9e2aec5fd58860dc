package org.sluice.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sluice.console.ConsoleFixture.onFx;
import static org.sluice.console.ConsoleFixture.tableRow;
import static org.sluice.console.ConsoleFixture.waitUntil;

import java.util.Locale;

import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.text.Text;
import javafx.stage.Stage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.kordamp.ikonli.javafx.FontIcon;
import org.sluice.console.controls.ActionsCell;
import org.sluice.console.controls.Icons;
import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.ServiceState;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** The grid's actions cells as drawn: one text glyph per button, in the icon font, nothing more. */
@ExtendWith(ApplicationExtension.class)
class ConsoleGridActionCellsTest {
    private ConsoleFixture console;

    @Start
    void start(Stage stage) throws Exception {
        console = new ConsoleFixture(stage, Locale.ENGLISH, "orders");
    }

    @AfterEach
    void close() throws Exception {
        console.close();
    }

    @Test
    void eachActionIsAGlyphOfTheIconFontWithNoIconNodeAndKeepsItsNameItsLookWhenDisabledAndItsWidth(FxRobot robot) throws Exception {
        waitUntil(() -> console.session.services().row("orders").map(r -> r.getState() == ServiceState.ACTIVE).orElse(false));
        waitUntil(() -> tableRow(robot, "orders") != null);
        ActionsCell cell = onFx(() -> robot.from(tableRow(robot, "orders"))
                .lookup((java.util.function.Predicate<Node>) n -> n instanceof ActionsCell).queryAs(ActionsCell.class));

        assertThat(onFx(() -> robot.from(cell).lookup((java.util.function.Predicate<Node>) n -> n instanceof FontIcon).queryAll()))
                .as("icon nodes in the cell").isEmpty();
        for (Operation operation : console.session.services().operations()) {
            Button button = cell.button(operation);
            String glyph = new String(Character.toChars(Icons.of(operation).ikon().getCode()));
            assertThat(onFx(button::getText)).as("%s's text", operation).isEqualTo(glyph);
            assertThat(onFx(() -> button.getFont().getFamily())).as("%s's font", operation).isEqualTo("Material Design Icons");
            assertThat(onFx(() -> ((Text) button.lookup(".text")).getText())).as("%s's glyph, drawn whole", operation).isEqualTo(glyph);
            assertThat(onFx(button::getGraphic)).isNull();
            assertThat(onFx(button::getAccessibleText)).isEqualTo(new org.sluice.console.viewmodel.I18n(Locale.ENGLISH).operation(operation));
            assertThat(onFx(() -> button.getWidth() >= button.prefWidth(-1) - 0.5)).as("%s is not squeezed", operation).isTrue();
            assertThat(onFx(button::getMinWidth)).isEqualTo(javafx.scene.layout.Region.USE_PREF_SIZE);
        }
        Button start = cell.button(Operation.START);
        Button stop = cell.button(Operation.STOP);
        assertThat(onFx(start::isDisabled)).isTrue();
        assertThat(onFx(stop::isDisabled)).isFalse();
        assertThat(onFx(() -> start.getTextFill())).as("a disabled action's glyph is greyed").isNotEqualTo(onFx(() -> stop.getTextFill()));
    }
}
