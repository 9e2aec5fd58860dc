package org.sluice.runtime;

/** A restore named a backup the host does not have. */
public final class NoSuchBackupException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String backupId;

    public NoSuchBackupException(String backupId) {
        super("No backup with id '" + backupId + "'");
        this.backupId = backupId;
    }

    public String backupId() {
        return backupId;
    }
}
