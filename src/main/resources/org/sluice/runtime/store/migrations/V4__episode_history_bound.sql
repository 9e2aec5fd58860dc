-- Version 4: a throttle episode's cause history is bounded.

-- Past its bound a history keeps its first step and its latest ones; this counts the steps left
-- out between the first and the second. Versions before 4 kept every step: theirs stay 0.
ALTER TABLE throttle_episode ADD COLUMN cause_history_omitted INTEGER NOT NULL DEFAULT 0 CHECK (cause_history_omitted >= 0);
