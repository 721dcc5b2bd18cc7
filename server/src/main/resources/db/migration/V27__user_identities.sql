-- Institutional sign-in (OpenID Connect): who an account is at an identity provider. A person is found by
-- their provider's issuer and their subject there, never by e-mail (an address can change hands, and a
-- password account with the same address is someone the provider never vouched for).
CREATE TABLE user_identities (
    issuer     VARCHAR(500) NOT NULL,
    subject    VARCHAR(255) NOT NULL,
    username   VARCHAR(64)  NOT NULL REFERENCES users (username),
    email      VARCHAR(320),
    created_at BIGINT       NOT NULL,
    PRIMARY KEY (issuer, subject)
);
CREATE INDEX user_identities_username ON user_identities (username);

-- An account created at a first sign-in that an admin has to approve: since when it waits (null: it does
-- not). Such an account is disabled (disabled_at) until approved; a rejected one stays disabled.
ALTER TABLE users ADD COLUMN pending_since BIGINT;
