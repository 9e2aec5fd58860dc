package org.sluice.runtime;

import java.io.IOException;
import java.nio.file.Path;
import java.util.OptionalLong;

/** Another process, another Sluice host, holds the data folder (see {@link DataFolderLock}). */
public final class DataFolderInUseException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path folder;
    private final OptionalLong holder;

    public DataFolderInUseException(Path folder, OptionalLong holder) {
        super("The data folder " + folder + " is in use by another Sluice host"
                + (holder.isPresent() ? " (process " + holder.getAsLong() + ")" : "")
                + "; stop that host, or give this one another data folder");
        this.folder = folder;
        this.holder = holder;
    }

    public Path folder() {
        return folder;
    }

    /** The process id of the host that holds the folder, when it could be read. */
    public OptionalLong holder() {
        return holder;
    }
}
