-- Version 2: the keys of the management API. An issuer has two key slots, so that one key can be
-- rolled while clients still use the other. Only a SHA-256 hash of each key is kept here; the keys
-- themselves are in DATA/keys.json, readable by the host's owner alone.
CREATE TABLE issuer_keys (
    issuer     TEXT    NOT NULL,
    slot       TEXT    NOT NULL CHECK (slot IN ('primary', 'secondary')),
    hash       TEXT    NOT NULL CHECK (length(hash) = 64),
    changed_ms INTEGER NOT NULL,
    PRIMARY KEY (issuer, slot)
) STRICT;
