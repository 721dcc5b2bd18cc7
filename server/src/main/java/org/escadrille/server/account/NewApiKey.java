package org.escadrille.server.account;

/** A key just created: its record, and the secret itself, which is never shown again. */
public record NewApiKey(ApiKey key, String secret) {
}
