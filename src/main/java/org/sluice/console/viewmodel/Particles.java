package org.sluice.console.viewmodel;

/**
 * Korean particles that fit the word before them. A template says {@code {0}을(를)} because it
 * cannot know the word; once the word is filled in, the form is chosen by its last sound: 을, 이,
 * 은, 과 and 으로 after a final consonant, 를, 가, 는, 와 and 로 after a vowel (and 로 after ㄹ too).
 *
 * <p>A Hangul syllable says its final consonant itself. A digit is read as it is spoken (일, 이,
 * 삼…). A name in Latin letters is read as such names are said in Korean: a final l, m, n or ng
 * ends in a consonant (mail, stream, kitchen, billing), anything else in a vowel (orders, server,
 * audit). After anything that cannot be read so (a symbol), both forms stay as written.
 */
final class Particles {
    /** Each particle written with both forms, the form after a consonant first. */
    private static final String[][] MARKERS = {
        {"을(를)", "을", "를"}, {"를(을)", "을", "를"},
        {"이(가)", "이", "가"}, {"가(이)", "이", "가"},
        {"은(는)", "은", "는"}, {"는(은)", "은", "는"},
        {"과(와)", "과", "와"}, {"와(과)", "과", "와"},
        {"(으)로", "으로", "로"},
    };
    private static final int HANGUL_FIRST = 0xAC00;
    private static final int HANGUL_LAST = 0xD7A3;
    /** The final consonant ㄹ, as numbered within a Hangul syllable. */
    private static final int RIEUL = 8;

    /** How a word ends: in a vowel, in ㄹ, in another consonant, or in something that cannot be read. */
    private enum Ending { VOWEL, RIEUL, CONSONANT, UNKNOWN }

    private Particles() {
    }

    /** {@code text} with each particle written with both forms given the one that fits. */
    static String fix(String text) {
        if (text.indexOf('(') < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        outer:
        while (i < text.length()) {
            for (String[] marker : MARKERS) {
                if (text.startsWith(marker[0], i)) {
                    Ending ending = ending(out);
                    if (ending == Ending.UNKNOWN) {
                        out.append(marker[0]);
                    } else if (marker[0].equals("(으)로")) {
                        out.append(ending == Ending.CONSONANT ? marker[1] : marker[2]);
                    } else {
                        out.append(ending == Ending.VOWEL ? marker[2] : marker[1]);
                    }
                    i += marker[0].length();
                    continue outer;
                }
            }
            out.append(text.charAt(i++));
        }
        return out.toString();
    }

    /** How the text so far ends, looking past closing quotes and brackets. */
    private static Ending ending(CharSequence before) {
        int at = before.length() - 1;
        while (at >= 0 && "\"'”’)]»".indexOf(before.charAt(at)) >= 0) {
            at--;
        }
        if (at < 0) {
            return Ending.UNKNOWN;
        }
        char last = before.charAt(at);
        if (last >= HANGUL_FIRST && last <= HANGUL_LAST) {
            int jong = (last - HANGUL_FIRST) % 28;
            return jong == 0 ? Ending.VOWEL : jong == RIEUL ? Ending.RIEUL : Ending.CONSONANT;
        }
        if (last >= '0' && last <= '9') {
            // 영, 일, 이, 삼, 사, 오, 육, 칠, 팔, 구
            return switch (last) {
                case '1', '7', '8' -> Ending.RIEUL;
                case '0', '3', '6' -> Ending.CONSONANT;
                default -> Ending.VOWEL;
            };
        }
        char letter = Character.toLowerCase(last);
        if (letter >= 'a' && letter <= 'z') {
            if (letter == 'l') {
                return Ending.RIEUL;
            }
            if (letter == 'm' || letter == 'n' || letter == 'g' && at > 0 && Character.toLowerCase(before.charAt(at - 1)) == 'n') {
                return Ending.CONSONANT;
            }
            return Ending.VOWEL;
        }
        return Ending.UNKNOWN;
    }
}
