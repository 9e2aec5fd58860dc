package org.sluice.runtime.access;

import java.nio.file.Path;

/** No host has made keys in a data folder yet, so there are none to show or roll. */
public final class NoKeysException extends HostAccessException {
    private static final long serialVersionUID = 1L;

    private final transient Path data;

    /**
     * @param data    the data folder
     * @param finding what shows it, naming the file: "DATA/keys.json is missing"
     */
    NoKeysException(Path data, String finding) {
        super("No host has made keys in " + data + " yet (" + finding + "); start `sluice host --data " + data + "` once");
        this.data = data;
    }

    /** The data folder that has no keys. */
    public Path data() {
        return data;
    }
}
