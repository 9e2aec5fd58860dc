-- Version 6: why a failed operation failed, as a code and arguments beside the English error.

-- JSON: {"code": "instance-not-ready", "arguments": {"instance": "0", "seconds": "30"}, "inner": {...}}.
-- Empty on entries that did not fail and on those written before version 6, which have only the error.
ALTER TABLE operation_log ADD COLUMN problem TEXT;
