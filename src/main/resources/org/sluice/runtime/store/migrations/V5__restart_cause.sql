-- Version 5: why the host started an instance again on its own.

-- On the host's own entries (InstanceRestart, InstanceLeftDown): 'Crash' when the instance's process
-- exited on its own, 'HostRestart' for a try to start it again after the host restarted. Empty on
-- every other entry. Versions before 5 could not tell: their entries of the host's own are crashes.
ALTER TABLE operation_log ADD COLUMN restart_cause TEXT CHECK (restart_cause IS NULL OR restart_cause IN ('Crash', 'HostRestart'));
UPDATE operation_log SET restart_cause = 'Crash' WHERE instance_index IS NOT NULL;
