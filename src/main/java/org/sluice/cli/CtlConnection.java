package org.sluice.cli;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

import org.sluice.fleet.api.ApiJson;
import org.sluice.fleet.api.HostManagement;
import org.sluice.fleet.api.ManagementClient;
import org.sluice.runtime.access.HostKeys;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Where {@code sluice ctl} finds its host and how it signs in, from its flags and the host's data
 * folder. Each flag left out is taken from the folder: the address and the certificate's
 * fingerprint from {@code manage.json}, the key from {@code keys.json}. So on the host's machine
 * no flag is needed, and from elsewhere {@code --host}, {@code --fingerprint} and
 * {@code --key-file} say it all.
 *
 * <p>A host named with {@code --host} is trusted only with {@code --fingerprint}: without it the
 * command connects once to read the certificate's fingerprint and stops, printing it for the
 * operator to compare with what the host printed.
 *
 * <p>The key is read, passed on and never printed: messages name the file it came from.
 *
 * @param host        {@code --host}, or {@code null}
 * @param issuer      {@code --issuer}, or {@code null}
 * @param keyFile     {@code --key-file}, or {@code null}
 * @param fingerprint {@code --fingerprint}, or {@code null}
 * @param data        {@code --data}, or {@code null}
 */
record CtlConnection(String host, String issuer, Path keyFile, String fingerprint, Path data) {

    /**
     * A client signed in and the facts about it that messages name.
     *
     * @param keySource the file the key was read from
     */
    record Signed(ManagementClient client, URI url, String issuer, Path keySource) {
    }

    /**
     * Resolves the flags against the data folder ({@code --data}, else {@code defaultData}).
     *
     * @throws CtlFailure when something is missing or unusable, or the host's fingerprint has to be
     *                    confirmed first
     */
    Signed open(Path defaultData) throws CtlFailure, InterruptedException {
        Path folder = data != null ? data : defaultData;
        Path connectionFile = folder.resolve(HostManagement.CONNECTION_FILE);
        URI url;
        String pinned;
        Optional<JsonNode> written = Optional.empty();
        if (host != null) {
            url = address(host);
            if (fingerprint == null) {
                String presented;
                try {
                    presented = ManagementClient.fingerprintOf(url);
                } catch (IOException e) {
                    throw unreachable(e, url);
                }
                throw new CtlFailure(CtlCommand.NO_CONNECTION, Messages.get("ctl.error.unpinned", url, presented));
            }
            pinned = fingerprint;
            if (keyFile == null) {
                // The data folder's key belongs to the host on this machine: it goes to that host
                // alone, never to another that --host names.
                if (!java.nio.file.Files.exists(connectionFile)
                        || !url.equals(address(connectionFile(connectionFile, folder).path("url").asText()))) {
                    throw new CtlFailure(CtlCommand.NO_CONNECTION, Messages.get("ctl.error.hostNeedsKeyFile", url));
                }
            }
        } else {
            JsonNode file = connectionFile(connectionFile, folder);
            written = Optional.of(file);
            url = address(file.path("url").asText());
            pinned = fingerprint != null ? fingerprint : file.path("fingerprint").asText();
        }
        String as = issuer != null ? issuer
                : written.map(file -> file.path("issuer").asText(null)).orElse(HostKeys.ISSUER);
        Path keys = keyFile != null ? keyFile
                : written.map(file -> file.path("keys").asText(null)).map(Path::of).orElse(folder.resolve(HostKeys.FILE_NAME));
        return new Signed(new ManagementClient(url, as, key(keys), pinned), url, as, keys);
    }

    /** Why the host at {@code url} could not be spoken to, in the user's language. */
    static CtlFailure unreachable(IOException failure, URI url) {
        String message;
        if (failure instanceof ManagementClient.UnreachableException unreachable) {
            message = switch (unreachable.reason()) {
                case NO_ANSWER -> Messages.get("ctl.unreachable.noAnswer", url);
                case TIMEOUT -> Messages.get("ctl.unreachable.timeout", url);
                case NOT_TLS -> Messages.get("ctl.unreachable.notTls", url);
                case CERTIFICATE_CHANGED -> ManagementClient.changed(unreachable)
                        .map(changed -> Messages.get("ctl.unreachable.changed", url, changed.expected(), changed.actual()))
                        .orElse(unreachable.getMessage());
                case NOT_THE_API -> Messages.get("ctl.unreachable.notTheApi", url);
                case NO_CERTIFICATE -> Messages.get("ctl.unreachable.noCertificate", url);
            };
        } else {
            message = Messages.get("ctl.unreachable.failed", url, failure.getMessage());
        }
        return new CtlFailure(CtlCommand.NO_CONNECTION, message);
    }

    /** The host's {@code manage.json}, with the fields a client needs. */
    private static JsonNode connectionFile(Path file, Path folder) throws CtlFailure {
        JsonNode node;
        try {
            node = ApiJson.MAPPER.readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new CtlFailure(CtlCommand.NO_CONNECTION, Messages.get("ctl.error.noConnectionFile", file, folder));
        } catch (JsonProcessingException e) {
            throw new CtlFailure(CtlCommand.NO_CONNECTION, Messages.get("ctl.error.connectionFile", file,
                    Messages.get("ctl.error.notJson")));
        } catch (IOException e) {
            throw new CtlFailure(CtlCommand.NO_CONNECTION, Messages.get("ctl.error.connectionFile", file, e.getMessage()));
        }
        if (node == null || !node.path("url").isTextual() || !node.path("fingerprint").isTextual()) {
            throw new CtlFailure(CtlCommand.NO_CONNECTION, Messages.get("ctl.error.connectionFile", file,
                    Messages.get("ctl.error.connectionFields")));
        }
        return node;
    }

    /** A management address: {@code https://} with a host. */
    private static URI address(String text) throws CtlFailure {
        try {
            URI uri = new URI(text.strip());
            if ("https".equals(uri.getScheme()) && uri.getHost() != null) {
                return uri;
            }
            if ("http".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null) {
                URI secure = new URI("https", null, uri.getHost(), uri.getPort() < 0 ? HostManagement.DEFAULT_PORT : uri.getPort(), null, null, null);
                throw new CtlFailure(CtlCommand.USAGE, Messages.get("ctl.error.http", text.strip(), secure));
            }
        } catch (URISyntaxException e) {
            // Said below, as for any other address that is not one.
        }
        throw new CtlFailure(CtlCommand.USAGE, Messages.get("ctl.error.address", text));
    }

    /**
     * The key in {@code file}: a {@code keys.json} (its primary, or its secondary when the primary
     * is lost), or else the file's first line. Nothing of the file's text goes into a message.
     */
    static String key(Path file) throws CtlFailure {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (NoSuchFileException e) {
            throw new CtlFailure(CtlCommand.NO_CONNECTION, Messages.get("ctl.error.noKey", file));
        } catch (IOException e) {
            throw new CtlFailure(CtlCommand.NO_CONNECTION, Messages.get("ctl.error.keyFile", file, Messages.whyUnreadable(file, e)));
        }
        if (text.startsWith("{")) {
            try {
                JsonNode keys = ApiJson.MAPPER.readTree(text);
                for (String slot : new String[] {"primary", "secondary"}) {
                    if (keys.path(slot).isTextual() && !keys.path(slot).asText().isBlank()) {
                        return keys.path(slot).asText();
                    }
                }
            } catch (JsonProcessingException e) {
                // Said below: the parser's message could quote part of a key.
            }
            throw new CtlFailure(CtlCommand.NO_CONNECTION, Messages.get("ctl.error.keyShape", file));
        }
        String first = text.lines().findFirst().orElse("").strip();
        if (first.isEmpty()) {
            throw new CtlFailure(CtlCommand.NO_CONNECTION, Messages.get("ctl.error.keyShape", file));
        }
        return first;
    }
}
