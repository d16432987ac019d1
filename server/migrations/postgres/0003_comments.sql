-- Comment threads on a report's sections (SPEC §5): a comment answers another when it has a
-- parent; resolving marks the thread's root done. Stored with their event, like every write.
CREATE TABLE comments (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    report_id   TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    section_id  TEXT NOT NULL,
    parent_id   BIGINT REFERENCES comments(id) ON DELETE CASCADE,
    author      TEXT NOT NULL,
    content     TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    resolved_by TEXT,
    resolved_at TEXT
);
CREATE INDEX comments_by_report ON comments (report_id, id);
