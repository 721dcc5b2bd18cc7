package org.escadrille.server.portal;

import java.time.Clock;
import java.time.LocalDate;
import java.util.Locale;
import org.escadrille.server.account.Account;
import org.escadrille.server.footprint.Footprint;
import org.escadrille.server.footprint.Footprints;
import org.springframework.stereotype.Component;

/**
 * Footprints for the pages, in words: energy and carbon in a readable unit and an everyday equivalent;
 * and the footprints of a user (this month, all time) and of the platform, which the account and
 * admin pages read through it.
 */
@Component("footprintText")
class FootprintText {
    private final Footprints footprints;
    private final Clock clock;

    FootprintText(Footprints footprints, Clock clock) {
        this.footprints = footprints;
        this.clock = clock;
    }

    /** The user's attempts that ended since the first of this month (the server's time zone). */
    public Footprint thisMonth(Account account) {
        return footprints.ofUser(account.id(), LocalDate.now(clock).withDayOfMonth(1).atStartOfDay(clock.getZone()).toInstant());
    }

    public Footprint allTime(Account account) {
        return footprints.ofUser(account.id(), null);
    }

    public Footprint platform() {
        return footprints.ofPlatform();
    }

    public String energy(Footprint footprint) {
        return energy(footprint == null ? 0 : footprint.energyWh());
    }

    public String carbon(Footprint footprint) {
        return carbon(footprint == null ? 0 : footprint.carbonGrams());
    }

    /** Watt-hours in a readable unit. */
    public String energy(double wh) {
        return wh >= 1000 ? number(wh / 1000) + " kWh" : wh >= 1 || wh == 0 ? number(wh) + " Wh" : number(wh * 1000) + " mWh";
    }

    /** Grams of CO2e in a readable unit. */
    public String carbon(double grams) {
        return grams >= 1000 ? number(grams / 1000) + " kg CO2e" : grams >= 1 || grams == 0 ? number(grams) + " g CO2e"
                : number(grams * 1000) + " mg CO2e";
    }

    /** "≈ 1.2 km by car, 0.03 tree-months", Green Algorithms' equivalents (docs/footprint.md). */
    public String equivalents(Footprint footprint) {
        if (footprint == null) {
            return "";
        }
        return "≈ " + number(footprint.carKm()) + " km by car, " + number(footprint.treeMonths()) + " tree-months";
    }

    /** The share of the energy wasted by attempts that gave no result, as a percentage. */
    public String wasted(Footprint footprint) {
        double share = footprint == null ? 0 : footprint.wastedShare();
        return share == 0 ? "0 %" : share < 0.001 ? "< 0.1 %" : number(share * 100) + " %";
    }

    /** Three significant digits at most, no exponent. */
    static String number(double value) {
        if (value == 0) {
            return "0";
        }
        double magnitude = Math.abs(value);
        int decimals = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : magnitude >= 1 ? 2 : magnitude >= 0.1 ? 3 : 4;
        String text = String.format(Locale.ROOT, "%." + decimals + "f", value);
        return text.contains(".") ? text.replaceAll("0+$", "").replaceAll("\\.$", "") : text;
    }
}
