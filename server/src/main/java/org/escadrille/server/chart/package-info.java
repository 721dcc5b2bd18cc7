/**
 * The geometry of the charts that the portal's pages and the execution report draw as SVG: axis scales
 * and the timeline of an execution's attempts. Owns no table; reads only the execution's public views.
 */
package org.escadrille.server.chart;
