-- API keys may expire, and show when they were last used (written at most once a minute per key).
ALTER TABLE api_keys ADD COLUMN expires_at BIGINT;
ALTER TABLE api_keys ADD COLUMN last_used_at BIGINT;

-- Every security-relevant act: who (a username, or '-' for nobody signed in), what, on what, when,
-- from which address. Append-only; read newest first.
CREATE TABLE audit_events (
    id          VARCHAR(32)  PRIMARY KEY,
    occurred_at BIGINT       NOT NULL,
    actor       VARCHAR(64)  NOT NULL,
    action      VARCHAR(64)  NOT NULL,
    target      VARCHAR(300) NOT NULL,
    address     VARCHAR(64)  NOT NULL
);
CREATE INDEX audit_events_occurred ON audit_events (occurred_at, id);
