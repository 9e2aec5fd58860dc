package org.sluice.console.view;

import java.net.URI;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javafx.beans.binding.Bindings;
import javafx.collections.FXCollections;
import javafx.event.ActionEvent;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.PasswordField;
import javafx.scene.control.Spinner;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Window;
import javafx.util.StringConverter;

import org.sluice.console.viewmodel.BulkPlan;
import org.sluice.console.viewmodel.ConnectionFormViewModel;
import org.sluice.console.viewmodel.DefinitionFormViewModel;
import org.sluice.console.viewmodel.DialogService;
import org.sluice.console.viewmodel.I18n;
import org.sluice.console.viewmodel.KeyPlace;
import org.sluice.fleet.ServiceSnapshot;
import org.sluice.lifecycle.BackupInfo;
import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.ServiceDefinition;
import org.sluice.lifecycle.ServiceDefinition.Validation;

/** The console's dialogs. */
public final class FxDialogService implements DialogService {
    private final I18n i18n;
    private final Window owner;

    public FxDialogService(I18n i18n, Window owner) {
        this.i18n = i18n;
        this.owner = owner;
    }

    private <R> Dialog<R> dialog(String title) {
        Dialog<R> dialog = new Dialog<>();
        dialog.initOwner(owner);
        dialog.setTitle(title);
        dialog.getDialogPane().getButtonTypes().setAll(ButtonType.OK, ButtonType.CANCEL);
        localizeButtons(dialog.getDialogPane(), i18n);
        return dialog;
    }

    /**
     * Gives the standard buttons of {@code pane} the console's words: JavaFX labels them from its
     * own resources, which have no Korean, so a Korean dialog still said OK and Cancel. A button
     * whose text a dialog sets for itself afterwards (Connect, Trust) keeps it.
     */
    public static void localizeButtons(DialogPane pane, I18n i18n) {
        for (ButtonType type : pane.getButtonTypes()) {
            if (pane.lookupButton(type) instanceof Button button) {
                switch (type.getButtonData()) {
                    case OK_DONE -> button.setText(i18n.get("dialog.button.ok"));
                    case CANCEL_CLOSE -> button.setText(type == ButtonType.CLOSE ? i18n.get("dialog.button.close")
                            : i18n.get("dialog.button.cancel"));
                    default -> {
                    }
                }
            }
        }
    }

    /** The button that goes ahead says what it does ("Delete", not "OK"): choosing it is the confirmation. */
    private void okSays(DialogPane pane, Operation operation) {
        ((Button) pane.lookupButton(ButtonType.OK)).setText(i18n.operation(operation));
    }

    /** Operations that stop, take away or interrupt what runs: a hurried Enter must not set them off. */
    private static final java.util.Set<Operation> DESTRUCTIVE = java.util.EnumSet.of(Operation.STOP, Operation.RESTART,
            Operation.SUSPEND, Operation.DELETE, Operation.DISABLE, Operation.SERVICE_UPDATE);

    /**
     * Makes Cancel the default button of {@code pane} when {@code operation} is destructive: Enter,
     * pressed in a hurry or meant for the window behind, then closes the question and nothing happens.
     * Going ahead takes a click on the button named for the operation, or Tab to it and Space.
     */
    private static void cancelByDefault(DialogPane pane, Operation operation) {
        if (DESTRUCTIVE.contains(operation)) {
            ((Button) pane.lookupButton(ButtonType.OK)).setDefaultButton(false);
            ((Button) pane.lookupButton(ButtonType.CANCEL)).setDefaultButton(true);
        }
    }

    @Override
    public boolean confirmDelete(String service) {
        Dialog<Boolean> dialog = dialog(i18n.get("dialog.delete.title", service));
        TextField typed = new TextField();
        typed.setId("delete-confirmation");
        typed.setPromptText(service);
        Label explain = new Label(i18n.get("dialog.delete.explain", service));
        explain.setWrapText(true);
        VBox content = new VBox(10, explain, typed);
        content.setPadding(new Insets(10));
        content.setPrefWidth(420);
        dialog.getDialogPane().setContent(content);
        okSays(dialog.getDialogPane(), Operation.DELETE);
        cancelByDefault(dialog.getDialogPane(), Operation.DELETE);
        Node ok = dialog.getDialogPane().lookupButton(ButtonType.OK);
        ok.disableProperty().bind(typed.textProperty().isNotEqualTo(service));
        dialog.setResultConverter(button -> button == ButtonType.OK && service.equals(typed.getText()));
        dialog.setOnShown(e -> typed.requestFocus());
        return dialog.showAndWait().orElse(false);
    }

    @Override
    public Optional<Integer> askUnits(String service, int current) {
        Dialog<Integer> dialog = dialog(i18n.get("dialog.scale.title", service));
        Spinner<Integer> units = new Spinner<>(new TypedNumbers(ServiceDefinition.MIN_UNITS, ServiceDefinition.MAX_UNITS,
                Math.max(ServiceDefinition.MIN_UNITS, Math.min(ServiceDefinition.MAX_UNITS, current))));
        units.setId("scale-units");
        units.setEditable(true);
        // What the field holds is what the user asked for: read from the text itself, since Enter
        // closes the dialog before the spinner has taken the typed number as its value (12 typed
        // and Enter scaled to the old count, and said it had succeeded).
        javafx.beans.binding.ObjectBinding<Integer> typed = Bindings.createObjectBinding(() -> {
            // Read as the command line reads UNITS, as the New service form does.
            int number = ServiceDefinition.readUnits(units.getEditor().getText()).orElse(Integer.MIN_VALUE);
            return number >= ServiceDefinition.MIN_UNITS && number <= ServiceDefinition.MAX_UNITS ? number : null;
        }, units.getEditor().textProperty());
        // Left, the field shows the number the host will get ("03" as "3").
        units.getEditor().focusedProperty().addListener((o, was, focused) -> {
            Integer number = typed.get();
            if (!focused && number != null) {
                units.getEditor().setText(Integer.toString(number));
            }
        });
        Label problem = new Label();
        problem.setId("scale-problem");
        problem.getStyleClass().add("form-problems");
        int had = Math.max(ServiceDefinition.MIN_UNITS, Math.min(ServiceDefinition.MAX_UNITS, current));
        // Scaling to the count the service has would change nothing, and say it succeeded.
        javafx.beans.binding.BooleanBinding same = Bindings.createBooleanBinding(() -> Integer.valueOf(had).equals(typed.get()), typed);
        // Said once the operator has typed: opened on the service's own count, the dialog said at
        // once that something was wrong, before anything was typed. Scale stays disabled meanwhile.
        String opened = units.getEditor().getText();
        javafx.beans.property.BooleanProperty edited = new javafx.beans.property.SimpleBooleanProperty();
        units.getEditor().textProperty().addListener((o, was, now) -> {
            if (!now.equals(opened)) {
                edited.set(true);
            }
        });
        // The count it has, typed over itself, changes no text and is typed all the same.
        units.getEditor().addEventFilter(javafx.scene.input.KeyEvent.KEY_TYPED, e -> edited.set(true));
        problem.textProperty().bind(Bindings.when(typed.isNull()).then(i18n.get("definition.problem.units"))
                .otherwise(Bindings.when(same.and(edited)).then(i18n.get("dialog.scale.same", had)).otherwise("")));
        VBox content = new VBox(10, new Label(i18n.get("dialog.scale.explain")), units, problem);
        content.setPadding(new Insets(10));
        dialog.getDialogPane().setContent(content);
        okSays(dialog.getDialogPane(), Operation.SCALE);
        dialog.getDialogPane().lookupButton(ButtonType.OK).disableProperty().bind(typed.isNull().or(same));
        dialog.setResultConverter(button -> button == ButtonType.OK ? typed.get() : null);
        // Opened from the keyboard (Ctrl+Shift+L), the dialog takes the number typed next: the field
        // has the focus with its number selected. It had not, and Enter then scaled to the old count.
        // Once shown, the dialog gives its default button the focus; the field takes it after that.
        dialog.setOnShown(e -> javafx.application.Platform.runLater(() -> {
            units.getEditor().requestFocus();
            units.getEditor().selectAll();
        }));
        return dialog.showAndWait();
    }

    @Override
    public Optional<ServiceDefinition> editDefinition(ServiceDefinition current, boolean isNew) {
        DefinitionFormViewModel form = new DefinitionFormViewModel(current, isNew, i18n);
        Dialog<Boolean> dialog = definitionDialog(form, List.of());
        dialog.setResultConverter(button -> button == ButtonType.OK);
        return dialog.showAndWait().filter(ok -> ok).map(ok -> form.definition());
    }

    @Override
    public void newService(DefinitionFormViewModel form, List<HostChoice> hosts) {
        Dialog<Boolean> dialog = definitionDialog(form, hosts);
        Button create = (Button) dialog.getDialogPane().lookupButton(ButtonType.OK);
        create.setText(i18n.get("dialog.definition.create"));
        // Create sends the form and leaves it open: it closes when the host has taken the service,
        // and shows the host's refusal otherwise, with everything typed still there.
        create.addEventFilter(ActionEvent.ACTION, e -> {
            e.consume();
            form.submit();
        });
        form.doneProperty().addListener((o, was, done) -> {
            if (done) {
                dialog.setResult(Boolean.TRUE);
            }
        });
        dialog.setResultConverter(button -> button == ButtonType.OK && form.doneProperty().get());
        dialog.showAndWait();
    }

    /** The definition form; with more than one host to choose from, it asks for the host first. */
    /** The width of the column that says beside each field of the definition form what is wrong with it. */
    private static final double PROBLEM_WIDTH = 240;

    private Dialog<Boolean> definitionDialog(DefinitionFormViewModel form, List<HostChoice> hosts) {
        boolean isNew = form.isNew();
        Dialog<Boolean> dialog = dialog(isNew ? i18n.get("dialog.definition.newTitle")
                : i18n.get("dialog.definition.editTitle", form.definition().name()));
        GridPane grid = new GridPane();
        grid.setHgap(10);
        grid.setVgap(4);
        grid.setPadding(new Insets(10));

        ChoiceBox<HostChoice> host = new ChoiceBox<>(FXCollections.observableArrayList(hosts));
        host.setId("definition-host");
        host.setConverter(new StringConverter<>() {
            @Override
            public String toString(HostChoice choice) {
                return choice == null ? "" : choice.label();
            }

            @Override
            public HostChoice fromString(String text) {
                return null;
            }
        });
        host.valueProperty().addListener((o, a, chosen) -> form.hostProperty().set(chosen == null ? ServiceSnapshot.THIS_HOST : chosen.host()));
        if (!hosts.isEmpty()) {
            host.getSelectionModel().selectFirst();
        }
        TextField name = new TextField();
        name.setId("definition-name");
        name.textProperty().bindBidirectional(form.nameProperty());
        name.setDisable(!isNew);
        Spinner<Integer> units = unitsSpinner(form);
        Spinner<Integer> cores = spinner("definition-cores", 1, ServiceDefinition.MAX_CORES, form.coresProperty());
        Spinner<Integer> memory = spinner("definition-memory", ServiceDefinition.MIN_MEMORY_MB, ServiceDefinition.MAX_MEMORY_MB,
                form.memoryMbProperty());
        ChoiceBox<Validation> validate = new ChoiceBox<>(FXCollections.observableArrayList(Validation.values()));
        validate.setConverter(new StringConverter<>() {
            @Override
            public String toString(Validation v) {
                return v == null ? "" : i18n.get("definition.validate." + v.fileName());
            }

            @Override
            public Validation fromString(String text) {
                return null;
            }
        });
        validate.valueProperty().bindBidirectional(form.validateProperty());
        TextField transform = field(form.transformProperty(), "definition-transform");
        TextField source = field(form.sourceProperty(), "definition-source");
        source.setPromptText("dir:/path/to/inbox");
        TextField destination = field(form.destinationProperty(), "definition-destination");
        destination.setPromptText("dir:/path/to/outbox  |  https://host/path");
        Label error = new Label();
        error.setId("definition-error");
        error.getStyleClass().add("form-error");
        error.setWrapText(true);
        error.textProperty().bind(form.errorProperty());
        error.visibleProperty().bind(form.errorProperty().isNotEmpty());
        error.managedProperty().bind(error.visibleProperty());

        List<String> labels = new ArrayList<>(List.of("definition.field.name", "definition.field.units", "definition.field.cores",
                "definition.field.memory", "definition.field.validate", "definition.field.transform", "definition.field.source",
                "definition.field.destination"));
        List<String> problemFields = new ArrayList<>(List.of("name", "units", "coresPerInstance", "memoryMb", "validate",
                "transform", "source", "destination"));
        List<Node> fields = new ArrayList<>(List.of(name, units, cores, memory, validate, transform, source, destination));
        if (hosts.size() > 1) {
            labels.add(0, "definition.field.host");
            problemFields.add(0, "host");
            fields.add(0, host);
        }
        grid.add(error, 0, 0, 3, 1);
        for (int i = 0; i < labels.size(); i++) {
            Label label = new Label(i18n.get(labels.get(i)));
            label.setMinWidth(Region.USE_PREF_SIZE);
            grid.add(label, 0, i + 1);
            grid.add(fields.get(i), 1, i + 1);
            // A field the operator has been in and left is touched, typed or not: a name left
            // empty says so then. Before, a new form said nothing against it.
            String touched = problemFields.get(i);
            fields.get(i).focusWithinProperty().addListener((o, was, now) -> {
                if (!now) {
                    form.touch(touched);
                }
            });
            // What is wrong with a field is said beside it, as the user types.
            Label problem = new Label() {
                // The grid asks for a row's height without a width, and a wrapping label then
                // counts the lines of a wider one: the text was cut after its second line.
                @Override
                protected double computeMinHeight(double width) {
                    return super.computePrefHeight(PROBLEM_WIDTH);
                }
            };
            problem.setId("definition-problem-" + problemFields.get(i));
            problem.getStyleClass().add("form-problems");
            problem.setWrapText(true);
            problem.setPrefWidth(PROBLEM_WIDTH);
            problem.setMinWidth(PROBLEM_WIDTH);
            problem.textProperty().bind(form.problemProperty(problemFields.get(i)));
            // A problem that appears, or grows, once the form is open needs more lines than the
            // window was made for: the window grows with it (a Korean one read "…시작하고...").
            problem.textProperty().addListener((o, was, now) -> fitWindow(dialog));
            grid.add(problem, 2, i + 1);
        }
        transform.setPrefColumnCount(28);
        ColumnConstraints fieldColumn = new ColumnConstraints();
        fieldColumn.setMinWidth(Region.USE_PREF_SIZE);
        fieldColumn.setPrefWidth(320);
        grid.getColumnConstraints().setAll(new ColumnConstraints(), fieldColumn, new ColumnConstraints());
        dialog.getDialogPane().setContent(grid);
        // A new form's Create, pressed with problems not said yet, says them (see newService); an
        // existing service's form says its problems from the start.
        dialog.getDialogPane().lookupButton(ButtonType.OK).disableProperty().bind(isNew ? form.blockedProperty()
                : form.canSubmitProperty().not());
        dialog.setOnShown(e -> {
            (isNew ? name : units.getEditor()).requestFocus();
            fitWindow(dialog);
        });
        return dialog;
    }

    /**
     * Gives {@code dialog}'s window the size its content asks for now, after the pulse that lays the
     * content out with its new texts.
     */
    private static void fitWindow(Dialog<?> dialog) {
        javafx.application.Platform.runLater(() -> {
            javafx.stage.Window window = dialog.getDialogPane().getScene() == null ? null : dialog.getDialogPane().getScene().getWindow();
            if (window != null && window.isShowing()) {
                window.sizeToScene();
            }
        });
    }

    /**
     * The form's units: the text typed is the form's, which reads it as the command line does
     * and says what is wrong; left, the field shows the number the host will get ("01" as "1").
     */
    private static Spinner<Integer> unitsSpinner(DefinitionFormViewModel form) {
        Spinner<Integer> spinner = new Spinner<>(new TypedNumbers(ServiceDefinition.MIN_UNITS, ServiceDefinition.MAX_UNITS,
                Math.max(ServiceDefinition.MIN_UNITS, Math.min(ServiceDefinition.MAX_UNITS, form.unitsProperty().get()))));
        spinner.setId("definition-units");
        spinner.setEditable(true);
        spinner.getEditor().textProperty().bindBidirectional(form.unitsTextProperty());
        spinner.getEditor().focusedProperty().addListener((o, was, focused) -> {
            if (!focused) {
                form.commitUnits();
            }
        });
        return spinner;
    }

    /**
     * An editable spinner that tells the form every number the user types, in range or not, so the
     * form can say at once what is wrong; the spinner alone would quietly put back its last value.
     */
    private static Spinner<Integer> spinner(String id, int min, int max, javafx.beans.property.IntegerProperty value) {
        Spinner<Integer> spinner = new Spinner<>(new TypedNumbers(min, max, Math.max(min, Math.min(max, value.get()))));
        spinner.setId(id);
        spinner.setEditable(true);
        spinner.valueProperty().addListener((o, a, b) -> value.set(b));
        spinner.getEditor().textProperty().addListener((o, a, typed) -> {
            try {
                value.set(Integer.parseInt(typed.strip()));
            } catch (NumberFormatException notANumber) {
                // Not a number: the form says the field is out of range.
                value.set(Integer.MIN_VALUE);
            }
        });
        return spinner;
    }

    /**
     * A spinner's numbers that keep what the user typed, in range or not, when the field loses the
     * focus: a stock spinner put its bound in place of 9 units or 99,999 MiB without a word, and the
     * form then found nothing to say. The arrows step within the range, from out of it too. Text
     * that is not a number leaves the value as it was (and the form says what is wrong).
     */
    private static final class TypedNumbers extends javafx.scene.control.SpinnerValueFactory<Integer> {
        private final int min;
        private final int max;

        TypedNumbers(int min, int max, int initial) {
            this.min = min;
            this.max = max;
            setConverter(new StringConverter<>() {
                @Override
                public String toString(Integer number) {
                    return number == null ? "" : number.toString();
                }

                @Override
                public Integer fromString(String text) {
                    try {
                        return Integer.valueOf(text.strip());
                    } catch (NumberFormatException notANumber) {
                        return getValue();
                    }
                }
            });
            setValue(initial);
        }

        @Override
        public void decrement(int steps) {
            step(-steps);
        }

        @Override
        public void increment(int steps) {
            step(steps);
        }

        private void step(int steps) {
            long next = (long) (getValue() == null ? min : getValue()) + steps;
            setValue((int) Math.max(min, Math.min(max, next)));
        }
    }

    private static TextField field(javafx.beans.property.StringProperty property, String id) {
        TextField field = new TextField();
        field.setId(id);
        field.textProperty().bindBidirectional(property);
        return field;
    }

    @Override
    public Optional<RestoreChoice> chooseBackup(List<BackupInfo> backups) {
        Dialog<RestoreChoice> dialog = dialog(i18n.get("dialog.restore.title"));
        DateTimeFormatter when = DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM).withLocale(i18n.locale())
                .withZone(ZoneId.systemDefault());
        ListView<BackupInfo> list = new ListView<>(FXCollections.observableArrayList(backups.stream().filter(BackupInfo::succeeded).toList()));
        list.setPrefHeight(200);
        list.setCellFactory(v -> new ListCell<>() {
            @Override
            protected void updateItem(BackupInfo item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty || item == null ? null : i18n.get("dialog.restore.item", when.format(Instant.ofEpochMilli(item.createdMs())),
                        item.definition().units()));
            }
        });
        list.getSelectionModel().selectFirst();
        // The backup's own name: a remote host's service goes by host/name, which no new name may have.
        TextField newName = new TextField(backups.get(0).definition().name() + "-restored");
        newName.setId("restore-name");
        Label explain = new Label(i18n.get("dialog.restore.explain"));
        explain.setWrapText(true);
        VBox content = new VBox(10, explain, list, new Label(i18n.get("dialog.restore.name")), newName);
        content.setPadding(new Insets(10));
        content.setPrefWidth(440);
        dialog.getDialogPane().setContent(content);
        okSays(dialog.getDialogPane(), Operation.RESTORE);
        dialog.getDialogPane().lookupButton(ButtonType.OK).disableProperty().bind(Bindings.createBooleanBinding(
                () -> list.getSelectionModel().getSelectedItem() == null
                        || !list.getItems().get(0).definition().withName(newName.getText().strip()).problems().isEmpty(),
                list.getSelectionModel().selectedItemProperty(), newName.textProperty()));
        dialog.setResultConverter(button -> button == ButtonType.OK
                ? new RestoreChoice(list.getSelectionModel().getSelectedItem().id(), newName.getText().strip()) : null);
        return dialog.showAndWait();
    }

    @Override
    public Optional<org.sluice.lifecycle.Operation> chooseDrill(String service, List<org.sluice.lifecycle.Operation> operations) {
        javafx.scene.control.ChoiceDialog<org.sluice.lifecycle.Operation> dialog =
                new javafx.scene.control.ChoiceDialog<>(operations.get(0), operations);
        dialog.initOwner(owner);
        dialog.setTitle(i18n.get("dialog.drill.title", service));
        localizeButtons(dialog.getDialogPane(), i18n);
        dialog.setHeaderText(i18n.get("dialog.drill.explain"));
        dialog.setContentText(i18n.get("dialog.drill.operation"));
        // The OK button says what it does: choosing is the confirmation.
        ((Button) dialog.getDialogPane().lookupButton(ButtonType.OK)).setText(i18n.get("dialog.drill.arm"));
        ComboBox<org.sluice.lifecycle.Operation> box = findComboBox(dialog.getDialogPane());
        if (box != null) {
            box.setConverter(new StringConverter<>() {
                @Override
                public String toString(org.sluice.lifecycle.Operation op) {
                    return op == null ? "" : i18n.operation(op);
                }

                @Override
                public org.sluice.lifecycle.Operation fromString(String s) {
                    return null;
                }
            });
        }
        return dialog.showAndWait();
    }

    @Override
    public Optional<BundleChoice> askBundle(String service, List<Integer> instances) {
        javafx.scene.control.ChoiceDialog<org.sluice.console.viewmodel.IncidentBundleViewModel.Span> dialog =
                new javafx.scene.control.ChoiceDialog<>(org.sluice.console.viewmodel.IncidentBundleViewModel.Span.LAST_15_MINUTES,
                        org.sluice.console.viewmodel.IncidentBundleViewModel.Span.values());
        dialog.initOwner(owner);
        dialog.setTitle(i18n.get("dialog.bundle.title"));
        localizeButtons(dialog.getDialogPane(), i18n);
        dialog.setHeaderText(instances.size() == 1 ? i18n.get("dialog.bundle.instance", service, instances.get(0))
                : i18n.get("dialog.bundle.service", service));
        dialog.setContentText(i18n.get("dialog.bundle.span"));
        ComboBox<org.sluice.console.viewmodel.IncidentBundleViewModel.Span> box = findComboBox(dialog.getDialogPane());
        if (box != null) {
            box.setConverter(new StringConverter<>() {
                @Override
                public String toString(org.sluice.console.viewmodel.IncidentBundleViewModel.Span span) {
                    return span == null ? "" : i18n.get("bundle.span." + span.name());
                }

                @Override
                public org.sluice.console.viewmodel.IncidentBundleViewModel.Span fromString(String s) {
                    return null;
                }
            });
        }
        Optional<org.sluice.console.viewmodel.IncidentBundleViewModel.Span> span = dialog.showAndWait();
        if (span.isEmpty()) {
            return Optional.empty();
        }
        javafx.stage.FileChooser chooser = new javafx.stage.FileChooser();
        chooser.setTitle(i18n.get("dialog.bundle.file"));
        String host = org.sluice.fleet.group.FleetGroup.hostOf(service);
        String name = service.substring(host.isEmpty() ? 0 : host.length() + 1);
        chooser.setInitialFileName(name + (instances.size() == 1 ? "-" + instances.get(0) : "") + "-incident.zip");
        chooser.getExtensionFilters().add(new javafx.stage.FileChooser.ExtensionFilter("zip", "*.zip"));
        java.io.File file = chooser.showSaveDialog(owner);
        return file == null ? Optional.empty() : Optional.of(new BundleChoice(span.get(), file.toPath()));
    }

    @Override
    public Optional<java.nio.file.Path> askEpisodeBundle(String service, int instance, long startMs) {
        javafx.stage.FileChooser chooser = new javafx.stage.FileChooser();
        chooser.setTitle(i18n.get("dialog.bundle.episodeFile", service, instance));
        String host = org.sluice.fleet.group.FleetGroup.hostOf(service);
        String name = service.substring(host.isEmpty() ? 0 : host.length() + 1);
        String started = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
                .format(java.time.Instant.ofEpochMilli(startMs).atZone(java.time.ZoneId.systemDefault()));
        chooser.setInitialFileName(name + "-" + instance + "-episode-" + started + "-incident.zip");
        chooser.getExtensionFilters().add(new javafx.stage.FileChooser.ExtensionFilter("zip", "*.zip"));
        java.io.File file = chooser.showSaveDialog(owner);
        return file == null ? Optional.empty() : Optional.of(file.toPath());
    }

    @SuppressWarnings("unchecked")
    private static <T> ComboBox<T> findComboBox(javafx.scene.Parent parent) {
        for (Node node : parent.lookupAll(".combo-box")) {
            if (node instanceof ComboBox<?> box) {
                return (ComboBox<T>) box;
            }
        }
        return null;
    }

    @Override
    public boolean confirmServiceUpdate(String service) {
        return confirm(Operation.SERVICE_UPDATE, i18n.get("dialog.serviceUpdate.title", service),
                i18n.get("dialog.serviceUpdate.header", service), i18n.get("dialog.serviceUpdate.explain"));
    }

    @Override
    public boolean confirmAccount(org.sluice.lifecycle.Operation operation, List<String> services) {
        String list = "\n\n" + String.join(", ", services);
        if (operation == org.sluice.lifecycle.Operation.DISABLE) {
            return confirm(operation, i18n.get("dialog.disableAccount.title"), i18n.get("dialog.disableAccount.header", services.size()),
                    i18n.get("dialog.disableAccount.explain") + list);
        }
        return confirm(operation, i18n.get("dialog.enableAccount.title"), i18n.get("dialog.enableAccount.header", services.size()),
                i18n.get("dialog.enableAccount.explain") + list);
    }

    /** A question whose button named for {@code operation} goes ahead; the explanation says what will happen. */
    private boolean confirm(Operation operation, String title, String header, String explanation) {
        Dialog<Boolean> dialog = dialog(title);
        okSays(dialog.getDialogPane(), operation);
        cancelByDefault(dialog.getDialogPane(), operation);
        dialog.setHeaderText(header);
        Label explain = new Label(explanation);
        explain.setWrapText(true);
        VBox content = new VBox(10, explain);
        content.setPadding(new Insets(10));
        content.setPrefWidth(460);
        dialog.getDialogPane().setContent(content);
        dialog.setResultConverter(button -> button == ButtonType.OK);
        return dialog.showAndWait().orElse(false);
    }

    @Override
    public boolean confirmBulk(BulkPlan plan) {
        Alert alert = new Alert(Alert.AlertType.CONFIRMATION);
        alert.initOwner(owner);
        alert.setTitle(i18n.get("dialog.bulk.title", i18n.operation(plan.operation())));
        localizeButtons(alert.getDialogPane(), i18n);
        okSays(alert.getDialogPane(), plan.operation());
        cancelByDefault(alert.getDialogPane(), plan.operation());
        alert.setHeaderText(plan.summary());
        StringBuilder details = new StringBuilder();
        plan.willRun().forEach(name -> details.append("✓ ").append(name).append('\n'));
        plan.skipped().forEach(s -> details.append("– ").append(s.service()).append(" (")
                .append(s.stale() ? i18n.get("bulk.hostNotConnected") : i18n.state(s.state())).append(")\n"));
        TextArea area = new TextArea(details.toString());
        area.setEditable(false);
        area.setPrefRowCount(Math.min(12, plan.willRun().size() + plan.skipped().size()));
        alert.getDialogPane().setContent(area);
        return alert.showAndWait().filter(b -> b == ButtonType.OK).isPresent();
    }

    // ------------------------------------------------------------------ remote hosts

    @Override
    public boolean askConnection(ConnectionFormViewModel form) {
        Dialog<Boolean> dialog = dialog(i18n.get("dialog.connect.title"));
        Label explain = new Label(i18n.get("dialog.connect.explain"));
        explain.setWrapText(true);
        TextField name = new TextField();
        name.setId("connect-name");
        name.setPromptText(i18n.get("dialog.connect.namePrompt"));
        name.textProperty().bindBidirectional(form.nameProperty());
        TextField address = new TextField();
        address.setId("connect-address");
        address.setPromptText("https://10.0.0.5:7071");
        address.textProperty().bindBidirectional(form.addressProperty());
        TextField issuer = new TextField();
        issuer.setId("connect-issuer");
        issuer.textProperty().bindBidirectional(form.issuerProperty());
        PasswordField key = new PasswordField();
        key.setId("connect-key");
        key.textProperty().bindBidirectional(form.keyProperty());
        CheckBox remember = new CheckBox();
        remember.setId("connect-remember");
        // Says where the key goes: the keychain by its platform's name, or the owner-only file.
        remember.textProperty().bind(form.rememberTextProperty());
        remember.selectedProperty().bindBidirectional(form.rememberKeyProperty());
        Label rememberHelp = new Label();
        rememberHelp.setId("connect-remember-help");
        rememberHelp.textProperty().bind(form.rememberHelpProperty());
        rememberHelp.setWrapText(true);
        rememberHelp.getStyleClass().add("form-help");

        GridPane grid = new GridPane();
        grid.setHgap(10);
        grid.setVgap(8);
        String[] labels = {"dialog.connect.name", "dialog.connect.address", "dialog.connect.issuer", "dialog.connect.key"};
        Node[] fields = {name, address, issuer, key};
        for (int i = 0; i < labels.length; i++) {
            grid.add(new Label(i18n.get(labels[i])), 0, i);
            grid.add(fields[i], 1, i);
        }
        address.setPrefColumnCount(26);
        Label problems = new Label();
        problems.setId("connect-problems");
        problems.getStyleClass().add("form-problems");
        problems.setWrapText(true);
        problems.textProperty().bind(form.problemTextProperty());
        Label error = new Label();
        error.setId("connect-error");
        error.getStyleClass().add("form-error");
        error.setWrapText(true);
        error.textProperty().bind(form.errorProperty());
        error.visibleProperty().bind(form.errorProperty().isNotEmpty());
        error.managedProperty().bind(error.visibleProperty());

        VBox content = new VBox(10, explain, error, grid, remember, rememberHelp, problems);
        content.setPadding(new Insets(10));
        content.setPrefWidth(520);
        dialog.getDialogPane().setContent(content);
        dialog.getDialogPane().lookupButton(ButtonType.OK).disableProperty().bind(form.validProperty().not());
        ((Button) dialog.getDialogPane().lookupButton(ButtonType.OK)).setText(i18n.get("dialog.connect.ok"));
        dialog.setResultConverter(button -> button == ButtonType.OK);
        dialog.setOnShown(e -> (form.name().isEmpty() ? name : key).requestFocus());
        return dialog.showAndWait().orElse(false);
    }

    @Override
    public boolean acceptFingerprint(String host, URI address, String fingerprint) {
        Dialog<Boolean> dialog = dialog(i18n.get("dialog.fingerprint.title", host));
        Label explain = new Label(i18n.get("dialog.fingerprint.explain", host, address));
        explain.setWrapText(true);
        // Shown whole, in pairs of hex digits over two lines, and selectable for pasting into a comparison.
        TextArea shown = new TextArea(twoLines(fingerprint));
        shown.setId("fingerprint");
        shown.setEditable(false);
        shown.setPrefRowCount(2);
        shown.setWrapText(false);
        shown.getStyleClass().add("fingerprint");
        Label where = new Label(i18n.get("dialog.fingerprint.where"));
        where.setWrapText(true);
        where.getStyleClass().add("form-help");
        VBox content = new VBox(10, explain, shown, where);
        content.setPadding(new Insets(10));
        content.setPrefWidth(560);
        dialog.getDialogPane().setContent(content);
        ((Button) dialog.getDialogPane().lookupButton(ButtonType.OK)).setText(i18n.get("dialog.fingerprint.accept"));
        // Accepting is a decision: the default button is the one that does not trust.
        ((Button) dialog.getDialogPane().lookupButton(ButtonType.OK)).setDefaultButton(false);
        ((Button) dialog.getDialogPane().lookupButton(ButtonType.CANCEL)).setDefaultButton(true);
        dialog.setResultConverter(button -> button == ButtonType.OK);
        return dialog.showAndWait().orElse(false);
    }

    /** A fingerprint's 32 pairs, 16 on each line. */
    private static String twoLines(String fingerprint) {
        String[] pairs = fingerprint.split(":");
        if (pairs.length != 32) {
            return fingerprint;
        }
        return String.join(":", java.util.Arrays.copyOfRange(pairs, 0, 16)) + ":\n"
                + String.join(":", java.util.Arrays.copyOfRange(pairs, 16, 32));
    }

    @Override
    public Optional<KeyEntry> askKey(String host, URI address, String issuer, String error, KeyPlace keyPlace) {
        Dialog<KeyEntry> dialog = dialog(i18n.get("dialog.key.title", host));
        Label explain = new Label(i18n.get("dialog.key.explain", host, address, issuer));
        explain.setWrapText(true);
        Label problem = new Label(error);
        problem.setId("key-error");
        problem.getStyleClass().add("form-error");
        problem.setWrapText(true);
        problem.setVisible(!error.isEmpty());
        problem.setManaged(!error.isEmpty());
        PasswordField key = new PasswordField();
        key.setId("key-field");
        CheckBox remember = new CheckBox(keyPlace.rememberText(i18n));
        remember.setId("key-remember");
        Label rememberHelp = new Label(keyPlace.rememberHelp(i18n));
        rememberHelp.setWrapText(true);
        rememberHelp.getStyleClass().add("form-help");
        VBox content = new VBox(10, explain, problem, key, remember, rememberHelp);
        content.setPadding(new Insets(10));
        content.setPrefWidth(480);
        dialog.getDialogPane().setContent(content);
        dialog.getDialogPane().lookupButton(ButtonType.OK).disableProperty().bind(key.textProperty().isEmpty());
        ((Button) dialog.getDialogPane().lookupButton(ButtonType.OK)).setText(i18n.get("dialog.connect.ok"));
        dialog.setResultConverter(button -> button == ButtonType.OK ? new KeyEntry(key.getText(), remember.isSelected()) : null);
        dialog.setOnShown(e -> key.requestFocus());
        return dialog.showAndWait();
    }

    @Override
    public boolean confirmRemoveHost(String host) {
        Alert alert = new Alert(Alert.AlertType.CONFIRMATION);
        alert.initOwner(owner);
        alert.setTitle(i18n.get("dialog.removeHost.title", host));
        localizeButtons(alert.getDialogPane(), i18n);
        alert.setHeaderText(i18n.get("dialog.removeHost.header", host));
        alert.setContentText(i18n.get("dialog.removeHost.explain", host));
        return alert.showAndWait().filter(b -> b == ButtonType.OK).isPresent();
    }
}
