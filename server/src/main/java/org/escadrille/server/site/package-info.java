/**
 * Sites: where pilots run (this machine, a batch cluster, Kubernetes, hosts started by hand), their
 * limits, tags and health, and the factory that keeps each site supplied with as many pilots as its
 * queued work needs. Owns the {@code sites} table; uses {@code backend} (one engine per site kind),
 * {@code scheduling} (pilots, queued work), {@code account} and {@code audit}.
 */
package org.escadrille.server.site;
