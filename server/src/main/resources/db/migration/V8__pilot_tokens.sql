-- Pilots' credentials, as SHA-256 hashes with their expiry (epoch milliseconds), so that they
-- survive a restart. A REGISTRATION token (the one a pilot starts with) is good for one
-- registration: used_at says when it was spent. SESSION tokens are what that registration and then
-- each heartbeat hand out (rotation); a replaced one keeps a short grace, then expires.
CREATE TABLE pilot_tokens (
    token_hash VARCHAR(64) PRIMARY KEY,
    pilot_id   VARCHAR(32) NOT NULL REFERENCES pilots (id),
    kind       VARCHAR(16) NOT NULL,
    created_at BIGINT      NOT NULL,
    expires_at BIGINT      NOT NULL,
    used_at    BIGINT
);

CREATE INDEX pilot_tokens_pilot ON pilot_tokens (pilot_id);
