/**
 * People and their credentials: users, roles, API keys, sign-in limits and the Spring Security filter
 * chains. Owns the {@code users} and {@code api_keys} tables; uses only {@code audit} and the root
 * package, so that every other feature may ask who is calling.
 */
package org.escadrille.server.account;
