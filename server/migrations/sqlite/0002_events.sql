-- Every durable change of a report, in order (SPEC §5): a section edit, a status move, a
-- regeneration of its computed sections, a comment. The collaboration hub delivers them,
-- and a client that reconnects catches up by offset. Offsets are per report and gap-free:
-- each is `reports.last_offset + 1`, assigned inside the transaction that writes the
-- change, which holds the write lock.
CREATE TABLE report_events (
    report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    seq       INTEGER NOT NULL,
    kind      TEXT NOT NULL,
    payload   TEXT NOT NULL, -- JSON, the event's data
    actor     TEXT NOT NULL,
    at_ms     INTEGER NOT NULL,
    PRIMARY KEY (report_id, seq)
);

ALTER TABLE reports ADD COLUMN last_offset INTEGER NOT NULL DEFAULT 0;
