/**
 * The native REST API ({@code /api/v1}, docs/native-api.md) and the one place where exceptions become
 * RFC 9457 problem documents. Owns no table and holds no SQL; uses the features' public types
 * ({@code account}, {@code audit}, {@code catalog}, {@code execution}, {@code group}, {@code scheduling},
 * {@code storage}), never {@code portal}.
 */
package org.escadrille.server.api.rest;
