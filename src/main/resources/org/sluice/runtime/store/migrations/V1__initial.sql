-- Version 1: services, the operation log, throttle episodes and backups.
-- Names of states, operations and causes are stored as their chart names (Active, Start, MEMORY),
-- never as ordinals, so reordering an enum cannot change what a row means.

-- One row per service that exists. A service's running operation must be in the log.
CREATE TABLE service (
    name                 TEXT    NOT NULL PRIMARY KEY,
    definition           TEXT    NOT NULL,
    state                TEXT    NOT NULL,
    state_before_disable TEXT,
    running_operation    TEXT,
    running_request_id   TEXT    REFERENCES operation_log (request_id),
    running_from         TEXT,
    updated_ms           INTEGER NOT NULL,
    CHECK ((running_operation IS NULL) = (running_request_id IS NULL))
) STRICT;

-- Every operation asked of a service. It outlives the service (Delete keeps its history), so it
-- has no foreign key to service. ended_ms and outcome are empty while the operation runs.
CREATE TABLE operation_log (
    request_id TEXT    NOT NULL PRIMARY KEY,
    service    TEXT    NOT NULL,
    operation  TEXT    NOT NULL,
    requester  TEXT    NOT NULL,
    started_ms INTEGER NOT NULL,
    ended_ms   INTEGER,
    outcome    TEXT    CHECK (outcome IN ('SUCCEEDED', 'FAILED', 'INTERRUPTED')),
    error      TEXT,
    CHECK ((ended_ms IS NULL) = (outcome IS NULL))
) STRICT;

CREATE INDEX operation_log_by_start ON operation_log (started_ms);
CREATE INDEX operation_log_by_service ON operation_log (service, started_ms);
CREATE INDEX operation_log_running ON operation_log (started_ms) WHERE ended_ms IS NULL;

-- Periods during which one role instance was throttled. Recording an episode again with the same
-- start (first open, later ended) replaces the earlier row.
CREATE TABLE throttle_episode (
    service        TEXT    NOT NULL,
    instance_index INTEGER NOT NULL CHECK (instance_index >= 0),
    start_ms       INTEGER NOT NULL,
    end_ms         INTEGER CHECK (end_ms IS NULL OR end_ms >= start_ms),
    causes         TEXT    NOT NULL,
    PRIMARY KEY (service, instance_index, start_ms)
) STRICT;

CREATE INDEX throttle_episode_by_start ON throttle_episode (service, start_ms);

-- Backups of a service's definition and settings; kept after the service is deleted, since a
-- backup is how a deleted service comes back (Restore).
CREATE TABLE backup (
    id         TEXT    NOT NULL PRIMARY KEY,
    service    TEXT    NOT NULL,
    created_ms INTEGER NOT NULL,
    definition TEXT    NOT NULL,
    settings   TEXT    NOT NULL,
    status     TEXT    NOT NULL CHECK (status IN ('SUCCEEDED', 'FAILED')),
    error      TEXT
) STRICT;

CREATE INDEX backup_by_service ON backup (service, created_ms);
