package org.escadrille.server.footprint;

/**
 * A site's own PUE and carbon intensity, where its settings give them ({@code pue},
 * {@code carbon-intensity}); implemented by {@code site}, so that the footprint knows no site class.
 */
public interface SiteFactors {

    /** The site's settings, or {@link Factors#NONE} for a site that sets neither (or a pilot of no site: null). */
    Factors of(String site);

    /**
     * @param pue             the site's power usage effectiveness, or null for the server's default
     * @param carbonIntensity grams of CO2e per kWh of the site's electricity, or null for the server's default
     */
    record Factors(Double pue, Double carbonIntensity) {
        public static final Factors NONE = new Factors(null, null);
    }
}
