package org.sluice.console.viewmodel;

import java.util.List;
import java.util.stream.Collectors;

import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.ObjectBinding;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import org.sluice.lifecycle.ServiceDefinition;
import org.sluice.lifecycle.ServiceDefinition.Validation;

/**
 * The form that creates a service or edits its configuration. It checks the definition as the
 * user types, with the same rules the runtime applies, and says what is wrong in the user's
 * language; the dialog's OK is bound to {@link #validProperty()}.
 */
public final class DefinitionFormViewModel {
    private final I18n i18n;
    private final boolean isNew;
    private final StringProperty name = new SimpleStringProperty(this, "name", "");
    private final IntegerProperty units = new SimpleIntegerProperty(this, "units");
    private final IntegerProperty cores = new SimpleIntegerProperty(this, "cores");
    private final IntegerProperty memoryMb = new SimpleIntegerProperty(this, "memoryMb");
    private final ObjectProperty<Validation> validate = new SimpleObjectProperty<>(this, "validate");
    private final StringProperty transform = new SimpleStringProperty(this, "transform", "");
    private final StringProperty source = new SimpleStringProperty(this, "source", "");
    private final StringProperty destination = new SimpleStringProperty(this, "destination", "");
    private final ObjectBinding<ServiceDefinition> definition;
    private final ObjectBinding<List<ServiceDefinition.Problem>> problems;
    private final BooleanBinding valid;
    private final StringBinding problemText;

    public DefinitionFormViewModel(ServiceDefinition start, boolean isNew, I18n i18n) {
        this.i18n = i18n;
        this.isNew = isNew;
        name.set(start.name() == null ? "" : start.name());
        units.set(start.units());
        cores.set(start.coresPerInstance());
        memoryMb.set(start.memoryMb());
        validate.set(start.validate());
        transform.set(start.transform() == null ? "" : start.transform());
        source.set(start.source() == null ? "" : start.source());
        destination.set(start.destination() == null ? "" : start.destination());
        definition = Bindings.createObjectBinding(() -> new ServiceDefinition(name.get().strip(), units.get(), cores.get(),
                memoryMb.get(), validate.get(), blankToNull(transform.get()), blankToNull(source.get()),
                blankToNull(destination.get())), name, units, cores, memoryMb, validate, transform, source, destination);
        problems = Bindings.createObjectBinding(() -> definition.get().problems(), definition);
        valid = Bindings.createBooleanBinding(() -> problems.get().isEmpty(), problems);
        problemText = Bindings.createStringBinding(() -> problems.get().stream()
                .map(p -> i18n.get("definition.problem." + p.field()))
                .collect(Collectors.joining("\n")), problems);
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }

    public boolean isNew() {
        return isNew;
    }

    public StringProperty nameProperty() {
        return name;
    }

    public IntegerProperty unitsProperty() {
        return units;
    }

    public IntegerProperty coresProperty() {
        return cores;
    }

    public IntegerProperty memoryMbProperty() {
        return memoryMb;
    }

    public ObjectProperty<Validation> validateProperty() {
        return validate;
    }

    public StringProperty transformProperty() {
        return transform;
    }

    public StringProperty sourceProperty() {
        return source;
    }

    public StringProperty destinationProperty() {
        return destination;
    }

    /** True when the definition has no problem. */
    public BooleanBinding validProperty() {
        return valid;
    }

    /** One line per problem, in the user's language; empty when valid. */
    public StringBinding problemTextProperty() {
        return problemText;
    }

    /** The definition as the form stands. */
    public ServiceDefinition definition() {
        return definition.get();
    }

    I18n i18n() {
        return i18n;
    }
}
