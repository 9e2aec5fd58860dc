package org.sluice.runtime.store;

import java.nio.file.Path;

/**
 * The database was written by a newer Sluice: its schema version is above the highest this build
 * knows. The store refuses to open it rather than guess at tables it does not understand.
 */
public final class SchemaTooNewException extends StoreException {
    private static final long serialVersionUID = 1L;

    private final int found;
    private final int known;

    public SchemaTooNewException(Path file, int found, int known) {
        super(file + " has schema version " + found + ", but this build of Sluice knows versions up to "
                + known + ". Open it with the newer Sluice that wrote it.");
        this.found = found;
        this.known = known;
    }

    /** The database's schema version. */
    public int found() {
        return found;
    }

    /** The highest schema version this build can migrate to. */
    public int known() {
        return known;
    }
}
