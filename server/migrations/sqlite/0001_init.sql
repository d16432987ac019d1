-- Projects and their data (SPEC §1.1). A project import replaces its children as a whole
-- and bumps data_version, which seeds the Monte Carlo and keys cache invalidation.
CREATE TABLE projects (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    code            TEXT NOT NULL,
    manager         TEXT NOT NULL,
    sponsor         TEXT NOT NULL,
    currency        TEXT NOT NULL,
    start           TEXT NOT NULL,
    baseline_finish TEXT NOT NULL,
    bac             REAL NOT NULL,
    contingency     REAL,
    estimate        TEXT NOT NULL,
    data_version    INTEGER NOT NULL DEFAULT 1,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);

CREATE TABLE work_packages (
    project_id       TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    seq              INTEGER NOT NULL,
    id               TEXT NOT NULL,
    name             TEXT NOT NULL,
    predecessors     TEXT NOT NULL, -- JSON array of ids
    duration_o       REAL NOT NULL,
    duration_m       REAL NOT NULL,
    duration_p       REAL NOT NULL,
    cost_o           REAL NOT NULL,
    cost_m           REAL NOT NULL,
    cost_p           REAL NOT NULL,
    percent_complete REAL NOT NULL,
    actual_start     TEXT,
    actual_finish    TEXT,
    actual_cost      REAL,
    PRIMARY KEY (project_id, id)
);

CREATE TABLE risks (
    project_id  TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    id          TEXT NOT NULL,
    title       TEXT NOT NULL,
    category    TEXT NOT NULL,
    probability REAL NOT NULL,
    cost_o      REAL NOT NULL,
    cost_m      REAL NOT NULL,
    cost_p      REAL NOT NULL,
    delay_o     REAL NOT NULL,
    delay_m     REAL NOT NULL,
    delay_p     REAL NOT NULL,
    affects     TEXT NOT NULL, -- JSON array of work-package ids
    status      TEXT NOT NULL,
    owner       TEXT NOT NULL,
    PRIMARY KEY (project_id, id)
);

CREATE TABLE milestones (
    project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,
    name       TEXT NOT NULL,
    baseline   TEXT NOT NULL,
    forecast   TEXT NOT NULL,
    status     TEXT NOT NULL,
    PRIMARY KEY (project_id, seq)
);

CREATE TABLE snapshots (
    project_id               TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    period                   TEXT NOT NULL,
    pv                       REAL NOT NULL,
    ev                       REAL NOT NULL,
    ac                       REAL NOT NULL,
    capacity_hours           REAL NOT NULL,
    allocated_hours          REAL NOT NULL,
    headcount                INTEGER NOT NULL,
    defects_open             INTEGER NOT NULL,
    defects_closed           INTEGER NOT NULL,
    stakeholder_satisfaction REAL,
    notes                    TEXT,
    PRIMARY KEY (project_id, period)
);

-- Report templates: which sections, in which order (SPEC §1.2).
CREATE TABLE templates (
    id       TEXT PRIMARY KEY,
    name     TEXT NOT NULL,
    sections TEXT NOT NULL -- JSON array of {kind, title, priority}
);

INSERT INTO templates (id, name, sections) VALUES
('executive', 'Executive', '[{"kind":"executive_summary"},{"kind":"metrics"},{"kind":"ai_insights"},{"kind":"monte_carlo"},{"kind":"charts"}]'),
('financial', 'Financial', '[{"kind":"executive_summary"},{"kind":"metrics"},{"kind":"charts"},{"kind":"custom","title":"Budget notes"}]'),
('technical', 'Technical', '[{"kind":"executive_summary"},{"kind":"metrics"},{"kind":"ai_insights"},{"kind":"monte_carlo"},{"kind":"charts"},{"kind":"custom","title":"Technical progress"}]');

CREATE TABLE reports (
    id           TEXT PRIMARY KEY,
    project_id   TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    period       TEXT NOT NULL,
    template     TEXT NOT NULL,
    title        TEXT NOT NULL,
    status       TEXT NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1,
    iterations   INTEGER NOT NULL,
    generated_by TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX reports_by_project ON reports (project_id, period);

CREATE TABLE report_sections (
    report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    id        TEXT NOT NULL,
    seq       INTEGER NOT NULL,
    kind      TEXT NOT NULL,
    title     TEXT NOT NULL,
    priority  TEXT NOT NULL,
    version   INTEGER NOT NULL DEFAULT 1,
    markdown  TEXT NOT NULL DEFAULT '', -- custom sections only
    rows      INTEGER NOT NULL DEFAULT 0,
    frozen    TEXT,                     -- JSON content once the report is approved
    PRIMARY KEY (report_id, id)
);

CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    action    TEXT NOT NULL,
    actor     TEXT NOT NULL,
    at        TEXT NOT NULL,
    detail    TEXT NOT NULL
);

-- API tokens: only a SHA-256 of the secret is kept; the secret is shown once.
CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    name         TEXT NOT NULL,
    role         TEXT NOT NULL,
    secret_hash  TEXT NOT NULL UNIQUE,
    created_at   TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at   TEXT
);

-- Browser sessions opened by signing in with a token; revoked with it.
CREATE TABLE sessions (
    id_hash    TEXT PRIMARY KEY,
    token_id   INTEGER NOT NULL REFERENCES api_tokens(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
