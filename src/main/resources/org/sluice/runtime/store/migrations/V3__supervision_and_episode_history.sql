-- Version 3: what supervision does, in the operation log, and more about each throttle episode.

-- The host's own entries (InstanceRestart, InstanceLeftDown) name the role instance that crashed,
-- its exit status and its crashes in a row; the three are empty on every other entry.
ALTER TABLE operation_log ADD COLUMN instance_index INTEGER CHECK (instance_index IS NULL OR instance_index >= 0);
ALTER TABLE operation_log ADD COLUMN exit_status INTEGER;
ALTER TABLE operation_log ADD COLUMN crashes_in_a_row INTEGER CHECK (crashes_in_a_row IS NULL OR crashes_in_a_row >= 1);

-- 1 when the episode ended because its instance stopped or crashed, or the host died, while it
-- lasted, rather than by the instance becoming Normal again. Version 2 could not tell: its
-- episodes stay 0.
ALTER TABLE throttle_episode ADD COLUMN cut_short INTEGER NOT NULL DEFAULT 0 CHECK (cut_short IN (0, 1));

-- Each change of the causes within the episode, oldest first: "start_ms:MEMORY;t1:MEMORY+CONCURRENCY".
-- Version 2 kept only the set of causes: its episodes get one step, at their start, with all of them.
ALTER TABLE throttle_episode ADD COLUMN cause_history TEXT NOT NULL DEFAULT '';
UPDATE throttle_episode SET cause_history = start_ms || ':' || causes;
