package org.sluice.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Rows of text in columns, each as wide as its widest cell, two spaces apart. Widths count what a
 * terminal shows: a Hangul syllable or a CJK ideograph takes two cells, so Korean headers line up.
 * An empty cell is shown as {@code -}, so that every row has as many words as the header.
 */
final class TextTable {
    private static final String EMPTY = "-";
    private final List<String[]> rows = new ArrayList<>();

    /** A table whose first row is {@code header}; none when it is empty. */
    TextTable(String... header) {
        if (header.length > 0) {
            rows.add(header.clone());
        }
    }

    TextTable row(String... cells) {
        String[] row = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            row[i] = cells[i] == null || cells[i].isEmpty() ? EMPTY : cells[i];
        }
        rows.add(row);
        return this;
    }

    void print(PrintWriter out) {
        List<Integer> widths = new ArrayList<>();
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                if (widths.size() <= i) {
                    widths.add(0);
                }
                widths.set(i, Math.max(widths.get(i), width(row[i])));
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(row[i]);
                if (i < row.length - 1) {
                    line.append(" ".repeat(widths.get(i) - width(row[i]) + 2));
                }
            }
            out.println(line);
        }
    }

    /** The cells {@code text} takes on a terminal. */
    static int width(String text) {
        return text.codePoints().map(c -> wide(c) ? 2 : 1).sum();
    }

    /** East Asian wide and full-width characters, the ones Korean text uses among them. */
    private static boolean wide(int codePoint) {
        return codePoint >= 0x1100 && codePoint <= 0x115F // Hangul Jamo, leading consonants
                || codePoint >= 0x2E80 && codePoint <= 0xA4CF // CJK, Hangul compatibility Jamo, Kana
                || codePoint >= 0xAC00 && codePoint <= 0xD7A3 // Hangul syllables
                || codePoint >= 0xF900 && codePoint <= 0xFAFF // CJK compatibility ideographs
                || codePoint >= 0xFF00 && codePoint <= 0xFF60; // full-width forms
    }
}
