/**
 * People and their credentials: users, roles, API keys, sign-in limits, institutional sign-in (OpenID
 * Connect) and the Spring Security filter chains. Owns the {@code users}, {@code api_keys} and
 * {@code user_identities} tables; uses only {@code audit} and the root
 * package, so that every other feature may ask who is calling.
 */
package org.escadrille.server.account;
