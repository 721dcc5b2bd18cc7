/**
 * The footprint of computing (Green Algorithms, Lannelongue et al. 2021): energy and carbon of every
 * attempt, execution, user and of the platform, from what attempts used and where they ran
 * (docs/footprint.md). Owns no table: it reads attempts through {@code scheduling}'s
 * {@code TaskQueries}, and a site's PUE and carbon intensity through the {@link
 * org.escadrille.server.footprint.SiteFactors} interface that {@code site} implements. Uses only
 * {@code scheduling}; {@code execution}, {@code api} and {@code portal} use it.
 */
package org.escadrille.server.footprint;
