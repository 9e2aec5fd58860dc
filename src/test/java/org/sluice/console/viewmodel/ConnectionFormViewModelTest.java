package org.sluice.console.viewmodel;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** File › Connect to host…, checked as the user types, without the JavaFX toolkit. */
class ConnectionFormViewModelTest {
    private final ConnectionFormViewModel form = new ConnectionFormViewModel(new I18n(Locale.ENGLISH), Set.of("branch")::contains);

    @Test
    void anEmptyFormSaysWhatIsMissingAndIssuerDefaultsToOwner() {
        assertThat(form.issuerProperty().get()).isEqualTo("owner");
        assertThat(form.validProperty().get()).isFalse();
        assertThat(form.problemTextProperty().get()).isEqualTo("""
                Name: give the host a name, without "/".
                Address: https://HOST:PORT, e.g. https://10.0.0.5:7071 (the port is 7071 if left out).
                Key: one of the issuer's keys.""");
    }

    @Test
    void aFilledInFormIsValid() {
        form.nameProperty().set(" depot ");
        form.addressProperty().set("https://10.0.0.6:7181/");
        form.keyProperty().set("k");
        assertThat(form.validProperty().get()).isTrue();
        assertThat(form.problemTextProperty().get()).isEmpty();
        assertThat(form.name()).isEqualTo("depot");
        assertThat(form.address()).isEqualTo(URI.create("https://10.0.0.6:7181"));
    }

    @Test
    void theSchemeAndPortMayBeLeftOut() {
        assertThat(ConnectionFormViewModel.parse("10.0.0.5")).contains(URI.create("https://10.0.0.5:7071"));
        assertThat(ConnectionFormViewModel.parse("depot.example:9000")).contains(URI.create("https://depot.example:9000"));
        assertThat(ConnectionFormViewModel.parse("https://[::1]")).contains(URI.create("https://[::1]:7071"));
        assertThat(ConnectionFormViewModel.parse("https://10.0.0.5:7071/api/v1")).isEmpty();
        assertThat(ConnectionFormViewModel.parse("ftp://10.0.0.5")).isEmpty();
        assertThat(ConnectionFormViewModel.parse("https://10.0.0.5:99999")).isEmpty();
        assertThat(ConnectionFormViewModel.parse("")).isEqualTo(Optional.empty());
    }

    @Test
    void aNameWithASlashATakenNameAndPlainHttpAreRefused() {
        form.keyProperty().set("k");
        form.addressProperty().set("http://10.0.0.5:7071");
        form.nameProperty().set("branch");
        assertThat(form.problemTextProperty().get()).isEqualTo("""
                A host is named branch already.
                The management API speaks HTTPS only: the address starts with https://.""");
        form.nameProperty().set("east/west");
        assertThat(form.problemTextProperty().get()).startsWith("Name: give the host a name, without \"/\".");
    }
}
