package org.escadrille.boutiques.json;

/** Builds JSON pointers (RFC 6901) used as problem locations. */
public final class Pointer {

    private Pointer() {
    }

    public static String child(String parent, String key) {
        return parent + "/" + key.replace("~", "~0").replace("/", "~1");
    }

    public static String child(String parent, int index) {
        return parent + "/" + index;
    }
}
