package org.sluice.runtime.instance;

/** Where an instance delivers the messages it has validated and transformed. */
public interface Destination {

    /** Delivers one message; returns only once the destination has it. */
    void deliver(String messageId, byte[] message) throws DeliveryException;
}
