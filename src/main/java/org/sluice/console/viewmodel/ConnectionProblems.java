package org.sluice.console.viewmodel;

import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;

import javax.net.ssl.SSLException;

import com.fasterxml.jackson.core.JsonProcessingException;

import org.sluice.fleet.api.ManagementClient;
import org.sluice.fleet.remote.RemoteFleet;

/**
 * Why a try to connect to a host failed, in the user's language and with the way out. The fleet's
 * own messages are English and speak of sockets; this reads the failure's causes instead.
 */
final class ConnectionProblems {
    private final I18n i18n;

    ConnectionProblems(I18n i18n) {
        this.i18n = i18n;
    }

    /** The host was reached, but its first snapshot did not come: the connection ended up in {@code state}. */
    static final class NotJoinedException extends Exception {
        private static final long serialVersionUID = 1L;
        private final RemoteFleet.State state;

        NotJoinedException(RemoteFleet.State state, String problem) {
            super(problem);
            this.state = state;
        }

        RemoteFleet.State state() {
            return state;
        }
    }

    String describe(Throwable failure, URI address, String issuer) {
        if (failure instanceof NotJoinedException notJoined) {
            return switch (notJoined.state()) {
                case UNAUTHORIZED -> i18n.get("connect.error.unauthorized", address, issuer);
                case CERTIFICATE_CHANGED -> i18n.get("connect.error.certificateChanged", address);
                default -> i18n.get("connect.error.other", address, String.valueOf(notJoined.getMessage()));
            };
        }
        if (ManagementClient.changed(failure).isPresent()) {
            return i18n.get("connect.error.certificateChanged", address);
        }
        if (has(failure, UnresolvedAddressException.class) || has(failure, UnknownHostException.class)) {
            return i18n.get("connect.error.unknownHost", address);
        }
        if (has(failure, HttpTimeoutException.class)) {
            return i18n.get("connect.error.timeout", address);
        }
        if (has(failure, ConnectException.class)) {
            return i18n.get("connect.error.nothingAnswers", address);
        }
        if (has(failure, SSLException.class)) {
            return i18n.get("connect.error.notTls", address);
        }
        if (has(failure, JsonProcessingException.class)) {
            return i18n.get("connect.error.notSluice", address);
        }
        return i18n.get("connect.error.other", address, String.valueOf(failure.getMessage()));
    }

    private static boolean has(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
