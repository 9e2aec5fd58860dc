package org.sluice.console.viewmodel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;

import org.junit.jupiter.api.Test;
import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.ServiceState;

/** The console's words: Korean particles that fit the word before them, and a language switched in place. */
class I18nTest {
    private final I18n korean = new I18n(Locale.KOREAN);

    @Test
    void theObjectParticleFollowsTheFinalConsonantOfTheOperation() {
        // 중지 ends in a vowel, 시작 in a consonant.
        assertThat(korean.get("reason.running", korean.operation(Operation.STOP), korean.state(ServiceState.STARTING)))
                .contains("중지를 할 수 없습니다").doesNotContain("(를)");
        assertThat(korean.get("reason.running", korean.operation(Operation.START), korean.state(ServiceState.STOPPING)))
                .contains("시작을 할 수 없습니다");
    }

    @Test
    void theSubjectParticleFollowsTheFinalConsonantToo() {
        assertThat(korean.get("reason.already", korean.operation(Operation.START), korean.state(ServiceState.ACTIVE)))
                .contains("시작이 필요하지 않습니다").doesNotContain("(가)");
        assertThat(korean.get("reason.already", korean.operation(Operation.STOP), korean.state(ServiceState.STOPPED)))
                .contains("중지가 필요하지 않습니다");
    }

    @Test
    void namesInLatinLettersAndDigitsAreReadAsTheyAreSpokenInKorean() {
        assertThat(Particles.fix("orders을(를) 삭제")).isEqualTo("orders를 삭제");
        assertThat(Particles.fix("stream을(를) 삭제")).isEqualTo("stream을 삭제");
        assertThat(Particles.fix("host-1이(가) 응답")).isEqualTo("host-1이 응답");
        assertThat(Particles.fix("host-2이(가) 응답")).isEqualTo("host-2가 응답");
        assertThat(Particles.fix("파일(으)로 보냄")).isEqualTo("파일로 보냄");
        assertThat(Particles.fix("서비스(으)로 보냄")).isEqualTo("서비스로 보냄");
        assertThat(Particles.fix("목록(으)로 보냄")).isEqualTo("목록으로 보냄");
        assertThat(Particles.fix("백업은(는) 남습니다")).isEqualTo("백업은 남습니다");
        assertThat(Particles.fix("서비스은(는) 남습니다")).isEqualTo("서비스는 남습니다");
        // After something that cannot be read, both forms stay, as written.
        assertThat(Particles.fix("\"?\"을(를)")).isEqualTo("\"?\"을(를)");
    }

    @Test
    void englishIsLeftAsItIs() {
        assertThat(new I18n(Locale.ENGLISH).get("reason.already", "Start", "Active")).contains("Start");
    }

    @Test
    void aLanguageSwitchedInPlaceIsSaidToThoseWhoListen() {
        I18n words = new I18n(Locale.ENGLISH);
        List<Locale> heard = new ArrayList<>();
        words.localeProperty().addListener((o, was, now) -> heard.add(now));
        assertThat(words.get("tab.services")).isEqualTo("Services");
        words.use(Locale.KOREAN);
        assertThat(words.get("tab.services")).isEqualTo("서비스");
        assertThat(words.locale()).isEqualTo(Locale.KOREAN);
        assertThat(heard).containsExactly(Locale.KOREAN);
    }

    @Test
    void englishIsTheBaseBundleEvenOnAMachineWhoseLanguageIsKorean() {
        Locale system = Locale.getDefault();
        Locale.setDefault(Locale.KOREA);
        // A bundle found before under another default must not answer for this one.
        ResourceBundle.clearCache();
        try {
            I18n english = new I18n(Locale.ENGLISH);
            assertThat(english.get("tab.services")).isEqualTo("Services");
            assertThat(english.bundle().getLocale()).as("the base bundle").isEqualTo(Locale.ROOT);
            assertThat(new I18n(Locale.FRENCH).get("tab.services")).as("a language the console does not have").isEqualTo("Services");
            I18n switched = new I18n(Locale.KOREAN);
            switched.use(Locale.ENGLISH);
            assertThat(switched.get("tab.services")).isEqualTo("Services");
        } finally {
            Locale.setDefault(system);
            ResourceBundle.clearCache();
        }
    }
}
