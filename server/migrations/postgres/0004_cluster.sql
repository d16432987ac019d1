-- What instances tell each other through the store (SPEC §7): cache invalidations made
-- while Redis was away (for the other instances' in-process caches) and credentials that
-- ended (their sockets close everywhere). Each instance reads what is new every half second.
CREATE TABLE cluster_log (
    seq     BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind    TEXT NOT NULL,
    payload TEXT NOT NULL,
    at_ms   BIGINT NOT NULL
);

-- Failed sign-ins per client address and token id, shared by every instance.
CREATE TABLE sign_in_failures (
    key          TEXT PRIMARY KEY,
    window_start BIGINT NOT NULL,
    failures     BIGINT NOT NULL
);

-- One generation per (project, period, template, iterations) at a time, across instances:
-- the first claims the key and records the report it made; the others wait for it.
CREATE TABLE generation_claims (
    key        TEXT PRIMARY KEY,
    report_id  TEXT,
    expires_ms BIGINT NOT NULL
);
