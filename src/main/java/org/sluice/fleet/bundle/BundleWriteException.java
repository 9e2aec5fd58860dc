package org.sluice.fleet.bundle;

import java.nio.file.Path;

/**
 * An incident bundle could not be written to its folder; nothing of it was left there.
 *
 * @see IncidentBundle#write
 */
public final class BundleWriteException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Path folder;
    private final String reason;

    /**
     * @param reason what went wrong, as the file system said it
     */
    public BundleWriteException(Path folder, String reason, Throwable cause) {
        super("The incident bundle could not be written to the folder " + folder + " (" + reason
                + "). Choose a folder that exists, that you may write to and that has room for the bundle, then save it again", cause);
        this.folder = folder;
        this.reason = reason;
    }

    /** The folder the bundle was to go to. */
    public Path folder() {
        return folder;
    }

    /** What went wrong, as the file system said it. */
    public String reason() {
        return reason;
    }
}
