-- Sites: where pilots run (the local machine, a batch cluster, Kubernetes, hosts started by hand).
-- settings is a JSON object of string to string, checked by the site kind's engine; tags are
-- comma-separated. The health columns are written by the pilot factory; token_hash is the SHA-256
-- of a manual site's token (NULL: none, or revoked).
CREATE TABLE sites (
    name                 VARCHAR(40)   PRIMARY KEY,
    kind                 VARCHAR(32)   NOT NULL,
    enabled              BOOLEAN       DEFAULT TRUE NOT NULL,
    settings             TEXT          NOT NULL,
    max_queued           INTEGER       NOT NULL,
    max_running          INTEGER       NOT NULL,
    max_slots            INTEGER       NOT NULL,
    slots_per_pilot      INTEGER       NOT NULL,
    memory_mb_per_pilot  BIGINT,
    tags                 VARCHAR(2000) NOT NULL,
    token_hash           VARCHAR(64)   UNIQUE,
    created_at           BIGINT        NOT NULL,
    created_by           VARCHAR(64)   NOT NULL,
    last_submission_at   BIGINT,
    consecutive_failures INTEGER       DEFAULT 0 NOT NULL,
    failing_since        BIGINT,
    last_error           VARCHAR(2000),
    backoff_until        BIGINT
);

-- Which site a pilot belongs to (NULL for pilots started before sites existed).
ALTER TABLE pilots ADD COLUMN site VARCHAR(40);
CREATE INDEX pilots_site ON pilots (site, state);
