/**
 * The execution report: one self-contained HTML file per execution (summary, timeline, resource use,
 * footprint, inputs and outputs with their checksums) that opens offline and can be mailed, rendered
 * from {@code templates/report.html}. Owns no table; reads executions through their service, with the
 * same access rules, and draws with {@code chart}. Used by the portal and the native API.
 */
package org.escadrille.server.report;
