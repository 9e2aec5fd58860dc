package org.sluice.lifecycle;

import java.util.Optional;


/**
 * A backup of a service's definition and settings (not the messages in flight).
 *
 * @param id         the backup's id, used to restore it
 * @param service    the service it was taken of
 * @param createdMs  when it was taken
 * @param definition the definition it holds
 * @param succeeded  false when the backup failed; {@code error} says why
 * @param error      why it failed
 */
public record BackupInfo(String id, String service, long createdMs, ServiceDefinition definition,
                         boolean succeeded, Optional<String> error) {
}
