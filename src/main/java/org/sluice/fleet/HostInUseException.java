package org.sluice.fleet;

import java.io.IOException;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The local host could not be opened because another Sluice host runs on the same data folder;
 * only one host may run on a folder at a time.
 */
public final class HostInUseException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path folder;
    private final OptionalLong holder;

    public HostInUseException(Path folder, OptionalLong holder, Throwable cause) {
        super(cause.getMessage(), cause);
        this.folder = folder;
        this.holder = holder;
    }

    /** The data folder that is in use. */
    public Path folder() {
        return folder;
    }

    /** The process id of the host that runs on it, when known. */
    public OptionalLong holder() {
        return holder;
    }
}
