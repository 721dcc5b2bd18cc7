/**
 * The web portal: server-rendered pages (Thymeleaf, htmx, SVG charts) for data, the catalogue,
 * launches, executions, the account and administration. Owns no table and holds no SQL; uses the
 * features' public types, never {@code api}.
 */
package org.escadrille.server.portal;
