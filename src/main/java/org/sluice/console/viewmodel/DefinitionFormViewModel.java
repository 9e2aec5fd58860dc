package org.sluice.console.viewmodel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.stream.Collectors;

import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.ObjectBinding;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
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
    private final StringProperty unitsText = new SimpleStringProperty(this, "unitsText", "");
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
    private final StringProperty host = new SimpleStringProperty(this, "host", "");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper(this, "error", "");
    private final ReadOnlyBooleanWrapper done = new ReadOnlyBooleanWrapper(this, "done");
    private final ReadOnlyBooleanWrapper submitting = new ReadOnlyBooleanWrapper(this, "submitting");
    private final Map<String, StringBinding> fieldProblems = new HashMap<>();
    private final BooleanBinding canSubmit;
    /** The fields the operator has changed or left; a new form says nothing against the others yet. */
    private final javafx.collections.ObservableSet<String> touched = javafx.collections.FXCollections.observableSet();
    /** True once the operator tried to create: every problem is said. */
    private final javafx.beans.property.BooleanProperty attempted = new javafx.beans.property.SimpleBooleanProperty(this, "attempted");
    private final BooleanBinding blocked;
    /** The problem a name already in use has; the runtime's own rules cannot know it. */
    private static final String TAKEN = "taken";
    private Submitter submitter = (form, onHost, chosen) -> form.accepted();

    /** Sends a filled-in form to the host; the form stays open until it says {@link #accepted()}. */
    @FunctionalInterface
    public interface Submitter {
        void submit(DefinitionFormViewModel form, String host, ServiceDefinition definition);
    }

    /** A form whose name is never taken: for editing a service that exists. */
    public DefinitionFormViewModel(ServiceDefinition start, boolean isNew, I18n i18n) {
        this(start, isNew, i18n, (host, name) -> false);
    }

    /**
     * @param taken whether a service of that name is known on that host already (host first, empty
     *              for the console's own)
     */
    public DefinitionFormViewModel(ServiceDefinition start, boolean isNew, I18n i18n, BiPredicate<String, String> taken) {
        this.i18n = i18n;
        this.isNew = isNew;
        name.set(start.name() == null ? "" : start.name());
        units.set(start.units());
        unitsText.set(Integer.toString(start.units()));
        unitsText.addListener((o, was, typed) -> units.set(ServiceDefinition.readUnits(typed).orElse(Integer.MIN_VALUE)));
        // A number set as such (the spinner's arrows, a definition filled in) is shown as typed.
        units.addListener((o, was, now) -> {
            int number = now.intValue();
            if (number != Integer.MIN_VALUE && ServiceDefinition.readUnits(unitsText.get()).orElse(Integer.MIN_VALUE) != number) {
                unitsText.set(Integer.toString(number));
            }
        });
        cores.set(start.coresPerInstance());
        memoryMb.set(start.memoryMb());
        validate.set(start.validate());
        transform.set(start.transform() == null ? "" : start.transform());
        source.set(start.source() == null ? "" : start.source());
        destination.set(start.destination() == null ? "" : start.destination());
        definition = Bindings.createObjectBinding(() -> new ServiceDefinition(name.get().strip(), units.get(), cores.get(),
                memoryMb.get(), validate.get(), blankToNull(transform.get()), blankToNull(source.get()),
                blankToNull(destination.get())), name, units, cores, memoryMb, validate, transform, source, destination);
        problems = Bindings.createObjectBinding(() -> {
            ServiceDefinition now = definition.get();
            List<ServiceDefinition.Problem> found = new ArrayList<>(now.problems());
            if (isNew && !now.name().isEmpty() && taken.test(host.get(), now.name())) {
                found.add(0, new ServiceDefinition.Problem("name", TAKEN));
            }
            return List.copyOf(found);
        }, definition, host);
        // Whatever the host said was about what the form held then.
        definition.addListener((o, was, now) -> error.set(""));
        host.addListener((o, was, now) -> error.set(""));
        valid = Bindings.createBooleanBinding(() -> problems.get().isEmpty(), problems);
        canSubmit = valid.and(submitting.not());
        problemText = Bindings.createStringBinding(() -> problems.get().stream()
                .map(this::describe)
                .collect(Collectors.joining("\n")), problems);
        // An existing service's form says at once what is wrong with it; a new one, once a field is touched.
        attempted.set(!isNew);
        touchOnChange("name", name);
        touchOnChange("units", units);
        touchOnChange("coresPerInstance", cores);
        touchOnChange("memoryMb", memoryMb);
        touchOnChange("transform", transform);
        touchOnChange("source", source);
        touchOnChange("destination", destination);
        blocked = Bindings.createBooleanBinding(() -> submitting.get()
                || problems.get().stream().anyMatch(p -> shown(p.field())), problems, touched, attempted, submitting);
    }

    private void touchOnChange(String field, javafx.beans.Observable value) {
        value.addListener(o -> touched.add(field));
    }

    private boolean shown(String field) {
        return attempted.get() || touched.contains(field);
    }

    /** Marks {@code field} as touched: the operator has been in it and left it, typed or not. */
    public void touch(String field) {
        touched.add(field);
    }

    /**
     * True while Create can do nothing: the form is on its way to the host, or a problem is said
     * beside a field. A new form's Create is not blocked by problems it has not said yet: pressed,
     * it says them ({@link #submit()}).
     */
    public BooleanBinding blockedProperty() {
        return blocked;
    }

    private String describe(ServiceDefinition.Problem problem) {
        if (TAKEN.equals(problem.message())) {
            String where = host.get() == null || host.get().isEmpty() ? i18n.get("host.thisComputer.where") : host.get();
            return i18n.get("definition.problem.taken", name.get().strip(), where);
        }
        return i18n.get("definition.problem." + problem.field());
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

    /**
     * The units as typed. Read as the command line reads {@code sluice ctl scale}'s UNITS
     * ({@link ServiceDefinition#readUnits}); what is no whole number is out of range for the form.
     */
    public StringProperty unitsTextProperty() {
        return unitsText;
    }

    /** Shows the units typed as the number the host will get ("01" as "1"); text that is no number stays as typed. */
    public void commitUnits() {
        ServiceDefinition.readUnits(unitsText.get()).ifPresent(n -> unitsText.set(Integer.toString(n)));
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

    /** The host to create the service on: empty for the console's own. */
    public StringProperty hostProperty() {
        return host;
    }

    /**
     * What is wrong with one field ({@code name}, {@code units}, ...), in the user's language; empty
     * when nothing, and in a new form until the field was touched or the operator tried to create.
     */
    public StringBinding problemProperty(String field) {
        return fieldProblems.computeIfAbsent(field, f -> Bindings.createStringBinding(() -> !shown(f) ? "" : problems.get().stream()
                .filter(p -> p.field().equals(f)).findFirst().map(this::describe).orElse(""), problems, touched, attempted));
    }

    /** Why the host refused the form last, in the user's language; empty when it has not. */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    /** True once the host took the definition: the form can close. */
    public ReadOnlyBooleanProperty doneProperty() {
        return done.getReadOnlyProperty();
    }

    /** True when the form is valid and not already on its way to the host. */
    public BooleanBinding canSubmitProperty() {
        return canSubmit;
    }

    void onSubmit(Submitter submitter) {
        this.submitter = submitter;
    }

    /** Sends the form to the host, when it can be sent. */
    public void submit() {
        attempted.set(true);
        if (!canSubmit.get()) {
            return;
        }
        submitting.set(true);
        submitter.submit(this, host.get(), definition());
    }

    void accepted() {
        submitting.set(false);
        done.set(true);
    }

    void refused(String reason) {
        submitting.set(false);
        error.set(reason);
    }

    /** Puts {@code definition}'s values into the form's fields. */
    public void fill(ServiceDefinition definition) {
        name.set(definition.name());
        units.set(definition.units());
        cores.set(definition.coresPerInstance());
        memoryMb.set(definition.memoryMb());
        validate.set(definition.validate());
        transform.set(definition.transform() == null ? "" : definition.transform());
        source.set(definition.source() == null ? "" : definition.source());
        destination.set(definition.destination() == null ? "" : definition.destination());
    }

    /** The definition as the form stands. */
    public ServiceDefinition definition() {
        return definition.get();
    }

    I18n i18n() {
        return i18n;
    }
}
