package org.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;

class TextTableTest {

    private static String printed(TextTable table) {
        StringWriter text = new StringWriter();
        table.print(new PrintWriter(text, true));
        return text.toString();
    }

    @Test
    void columnsAreAsWideAsTheirWidestCellAndEmptyCellsShowADash() {
        String text = printed(new TextTable("NAME", "STATE", "ERROR").row("orders", "Active", null).row("a", "", "it broke"));

        assertThat(text.lines()).containsExactly(
                "NAME    STATE   ERROR",
                "orders  Active  -",
                "a       -       it broke");
    }

    @Test
    void hangulTakesTwoCellsSoKoreanHeadersLineUp() {
        assertThat(TextTable.width("이름")).isEqualTo(4);
        assertThat(TextTable.width("메모리 %")).isEqualTo(8);

        String text = printed(new TextTable("이름", "상태").row("orders", "Active"));

        assertThat(text.lines()).containsExactly(
                "이름    상태",
                "orders  Active");
    }
}
