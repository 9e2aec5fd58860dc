package org.sluice.console.viewmodel;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.ObjectBinding;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ObservableValue;

import org.sluice.fleet.ServiceSnapshot;

/**
 * File › Connect to host…: the host's name, the address of its management API, the issuer and key
 * to sign in with, and whether to remember the key. It checks them as the user types and says what
 * is wrong; the dialog's OK is bound to {@link #validProperty()}. After a try that failed it keeps
 * what was typed and says why ({@link #errorProperty()}).
 */
public final class ConnectionFormViewModel {
    /** The management API's port when the address names none. */
    public static final int DEFAULT_PORT = 7071;
    /** The issuer every host has. */
    public static final String DEFAULT_ISSUER = "owner";

    private final StringProperty name = new SimpleStringProperty(this, "name", "");
    private final StringProperty address = new SimpleStringProperty(this, "address", "");
    private final StringProperty issuer = new SimpleStringProperty(this, "issuer", DEFAULT_ISSUER);
    private final StringProperty key = new SimpleStringProperty(this, "key", "");
    private final BooleanProperty rememberKey = new SimpleBooleanProperty(this, "rememberKey", false);
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper(this, "error", "");
    private final ObjectBinding<List<String>> problems;
    private final BooleanBinding valid;
    private final StringBinding problemText;
    private final StringBinding rememberText;
    private final StringBinding rememberHelp;

    /** A form whose remembered key goes to the owner-only file. */
    public ConnectionFormViewModel(I18n i18n, Predicate<String> taken) {
        this(i18n, taken, new SimpleObjectProperty<>(KeyPlace.FILE));
    }

    /**
     * @param taken    whether a host of that name is there already
     * @param keyPlace where a remembered key goes; the texts follow it
     */
    public ConnectionFormViewModel(I18n i18n, Predicate<String> taken, ObservableValue<KeyPlace> keyPlace) {
        rememberText = Bindings.createStringBinding(() -> keyPlace.getValue().rememberText(i18n), keyPlace, i18n.localeProperty());
        rememberHelp = Bindings.createStringBinding(() -> keyPlace.getValue().rememberHelp(i18n), keyPlace, i18n.localeProperty());
        problems = Bindings.createObjectBinding(() -> {
            List<String> found = new ArrayList<>();
            String typedName = name.get().strip();
            if (typedName.isEmpty() || typedName.indexOf(ServiceSnapshot.HOST_SEPARATOR) >= 0) {
                found.add(i18n.get("connect.problem.name"));
            } else if (taken.test(typedName)) {
                found.add(i18n.get("connect.problem.nameTaken", typedName));
            }
            String typedAddress = address.get().strip();
            if (typedAddress.toLowerCase(Locale.ROOT).startsWith("http://")) {
                found.add(i18n.get("connect.problem.http"));
            } else if (parse(typedAddress).isEmpty()) {
                found.add(i18n.get("connect.problem.address"));
            }
            if (issuer.get().isBlank()) {
                found.add(i18n.get("connect.problem.issuer"));
            }
            if (key.get().isBlank()) {
                found.add(i18n.get("connect.problem.key"));
            }
            return List.copyOf(found);
        }, name, address, issuer, key);
        valid = Bindings.createBooleanBinding(() -> problems.get().isEmpty(), problems);
        problemText = Bindings.createStringBinding(() -> String.join("\n", problems.get()), problems);
    }

    public StringProperty nameProperty() {
        return name;
    }

    /** As typed: {@code https://HOST:PORT}, or just {@code HOST} or {@code HOST:PORT}. */
    public StringProperty addressProperty() {
        return address;
    }

    public StringProperty issuerProperty() {
        return issuer;
    }

    public StringProperty keyProperty() {
        return key;
    }

    /** Whether the key is kept for the next start: in the keychain, or in an owner-only file ({@link #rememberTextProperty()}). */
    public BooleanProperty rememberKeyProperty() {
        return rememberKey;
    }

    /** The "remember" box's text: where the key will go, the keychain by its platform's name or the file. */
    public StringBinding rememberTextProperty() {
        return rememberText;
    }

    /** What ticking the box does, under it. */
    public StringBinding rememberHelpProperty() {
        return rememberHelp;
    }

    public BooleanBinding validProperty() {
        return valid;
    }

    /** What is wrong with what was typed, one problem a line; empty when nothing is. */
    public StringBinding problemTextProperty() {
        return problemText;
    }

    /** Why the last try to connect failed; empty before one did. */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    void failed(String why) {
        error.set(why);
    }

    /** The host's name as typed, without spaces around it. */
    public String name() {
        return name.get().strip();
    }

    /**
     * The address in full, {@code https://HOST:PORT}.
     *
     * @throws IllegalStateException when the form is not valid
     */
    public URI address() {
        return parse(address.get().strip()).orElseThrow(() -> new IllegalStateException("The address is not valid"));
    }

    public String issuer() {
        return issuer.get().strip();
    }

    public String key() {
        return key.get().strip();
    }

    public boolean rememberKey() {
        return rememberKey.get();
    }

    /**
     * Reads an address as the operator types it: the scheme and port may be left out and are then
     * https and 7071; anything but a bare {@code https://HOST:PORT} is refused.
     */
    static Optional<URI> parse(String typed) {
        if (typed.isEmpty()) {
            return Optional.empty();
        }
        String text = typed.contains("://") ? typed : "https://" + typed;
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        try {
            URI uri = new URI(text);
            if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null || uri.getUserInfo() != null
                    || (uri.getRawPath() != null && !uri.getRawPath().isEmpty()) || uri.getRawQuery() != null
                    || uri.getRawFragment() != null) {
                return Optional.empty();
            }
            int port = uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort();
            if (port < 1 || port > 65_535) {
                return Optional.empty();
            }
            return Optional.of(new URI("https", null, uri.getHost(), port, null, null, null));
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }
}
