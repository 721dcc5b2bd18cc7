/**
 * CARMIN 0.3.1 under {@code /rest} (VIP's base path), as VIP gives it, so that VIP's scripts and its Python
 * client work against Escadrille with one URL changed (docs/carmin.md): pipelines are the catalogue's
 * applications ({@code name/version}), executions the engine's, paths the caller's space under
 * {@code /vip/Home}, errors CARMIN's {@code ErrorCodeAndMessage}. A thin translation only: it calls the
 * features' public services ({@code execution}, {@code catalog}, {@code storage}, {@code account},
 * {@code audit}) and never launches, stores or authorises by itself. Owns no table and holds no SQL;
 * never uses {@code api.rest} or {@code portal}.
 */
package org.escadrille.server.carmin;
