package org.sluice.console.view;

import java.util.ArrayList;
import java.util.List;

import javafx.beans.InvalidationListener;
import javafx.beans.Observable;
import javafx.beans.binding.Bindings;
import javafx.beans.property.Property;
import javafx.beans.value.ChangeListener;
import javafx.beans.value.ObservableValue;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.scene.control.ChoiceBox;
import javafx.util.Subscription;

/**
 * What a view registered on the view models, which outlive it: listeners, and bindings between
 * its controls and their properties. The view lets go of all of it at once in {@link #release()},
 * so that a view made again (after a language switch) leaves nothing of the old one following
 * the view models. Decision 0026.
 */
final class Subscriptions {
    private final List<Subscription> held = new ArrayList<>();

    /** Listens to {@code value} until released. */
    <T> void onChange(ObservableValue<T> value, ChangeListener<? super T> listener) {
        value.addListener(listener);
        held.add(() -> value.removeListener(listener));
    }

    /** Listens to {@code observable} until released. */
    void onInvalidation(Observable observable, InvalidationListener listener) {
        observable.addListener(listener);
        held.add(() -> observable.removeListener(listener));
    }

    /** Listens to {@code list} until released. */
    <E> void onChange(ObservableList<E> list, ListChangeListener<? super E> listener) {
        list.addListener(listener);
        held.add(() -> list.removeListener(listener));
    }

    /** Binds {@code target} to {@code source} until released. */
    <T> void bind(Property<T> target, ObservableValue<? extends T> source) {
        target.bind(source);
        held.add(target::unbind);
    }

    /** Binds a control's {@code property} and a view model's {@code other} both ways until released. */
    <T> void bindBidirectional(Property<T> property, Property<T> other) {
        property.bindBidirectional(other);
        held.add(() -> Bindings.unbindBidirectional(property, other));
    }

    /**
     * Lets {@code box} offer {@code items} until released. A choice box keeps a strong listener on
     * its items, so one offering a view model's list would otherwise stay reachable from it.
     * Call it before binding the box's value: on release the value is unbound first, so that
     * emptying the box does not clear the view model's choice.
     */
    <T> void items(ChoiceBox<T> box, ObservableList<T> items) {
        box.setItems(items);
        held.add(() -> box.setItems(FXCollections.observableArrayList()));
    }

    /** Ends {@code subscription} on release. */
    void add(Subscription subscription) {
        held.add(subscription);
    }

    /** How many registrations are held: a test's way to see that a view let go. */
    int size() {
        return held.size();
    }

    /** Ends every registration, newest first. */
    void release() {
        for (int i = held.size() - 1; i >= 0; i--) {
            held.get(i).unsubscribe();
        }
        held.clear();
    }
}
