/**
 * The gateway's programmatic interfaces; today the native REST API in {@code api.rest}. Owns no table.
 */
package org.escadrille.server.api;
