package org.sluice.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sluice.lifecycle.ServiceDefinition.Problem;
import org.sluice.lifecycle.ServiceDefinition.Validation;

class ServiceDefinitionTest {

    private static ServiceDefinition orders() {
        return new ServiceDefinition("orders", 2, 1, 256, Validation.XML, null, "dir:/data/orders/inbox", "dir:/data/orders/outbox");
    }

    @Test
    void aCompleteDefinitionIsValid() {
        assertThat(orders().problems()).isEmpty();
        assertThat(new ServiceDefinition("a", 8, 64, 65536, Validation.NONE, "t.xsl", null, "https://example.test/in").isValid()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Orders", "-orders", "orders-", "or ders", "ünï"})
    void aNameMustBeUrlSafe(String name) {
        assertThat(orders().withName(name).problems()).extracting(Problem::field).containsExactly("name");
    }

    @Test
    void unitsAreOneToEight() {
        assertThat(orders().withUnits(0).problems()).extracting(Problem::field).containsExactly("units");
        assertThat(orders().withUnits(9).problems().get(0).message()).isEqualTo("must be from 1 to 8, was 9");
        assertThat(orders().withUnits(8).isValid()).isTrue();
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        ServiceDefinition bad = new ServiceDefinition("X", 0, 0, 1, Validation.JSON, " ", "ftp:", "mailto:x");
        assertThat(bad.problems()).extracting(Problem::field)
                .containsExactly("name", "units", "coresPerInstance", "memoryMb", "transform", "source", "destination");
    }

    @Test
    void destinationIsAFolderOrAnHttpUrl() {
        ServiceDefinition http = new ServiceDefinition("s", 1, 1, 256, Validation.NONE, null, null, "http://127.0.0.1:8080/x");
        assertThat(http.isValid()).isTrue();
        ServiceDefinition none = new ServiceDefinition("s", 1, 1, 256, Validation.NONE, null, null, null);
        assertThat(none.problems()).extracting(Problem::field).containsExactly("destination");
        ServiceDefinition emptyDir = new ServiceDefinition("s", 1, 1, 256, Validation.NONE, null, null, "dir:");
        assertThat(emptyDir.problems()).extracting(Problem::field).containsExactly("destination");
    }

    @Test
    void validationNamesAreThoseOfDefinitionFiles() {
        assertThat(Validation.fromFileName("json")).contains(Validation.JSON);
        assertThat(Validation.fromFileName("JSON")).isEmpty();
        assertThat(Validation.NONE.fileName()).isEqualTo("none");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dir:out", "dir:./out", "dir:../../x", "dir:~/out", "dir:C:out"})
    void aFolderIsGivenByAnAbsolutePath(String relative) {
        // A relative folder would be found from wherever the host was started: dir:../../x wrote /x.
        ServiceDefinition destination = new ServiceDefinition("s", 1, 1, 256, Validation.NONE, null, null, relative);
        assertThat(destination.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.field()).isEqualTo("destination");
            assertThat(problem.message()).isEqualTo("must be an absolute path, such as dir:/srv/sluice/outbox, was '"
                    + relative + "'");
        });
        ServiceDefinition source = new ServiceDefinition("s", 1, 1, 256, Validation.NONE, null, relative, "dir:/srv/out");
        assertThat(source.problems()).extracting(Problem::field).containsExactly("source");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dir:/srv/out", "dir:C:\\sluice\\out", "dir:D:/sluice/out", "dir:\\\\server\\share\\out"})
    void absoluteFoldersOfEitherKindOfSystemAreAccepted(String absolute) {
        assertThat(new ServiceDefinition("s", 1, 1, 256, Validation.NONE, null, absolute, absolute).problems()).isEmpty();
    }

    @Test
    void aProblemQuotesAtMostTheStartOfWhatItWasGiven() {
        String huge = "dir:" + "x".repeat(100_000);
        String message = new ServiceDefinition("s", 1, 1, 256, Validation.NONE, null, null, huge).problems().get(0).message();
        assertThat(message).hasSizeLessThan(200).contains("xxx...");
    }
}
