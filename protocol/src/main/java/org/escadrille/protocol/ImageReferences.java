package org.escadrille.protocol;

import java.util.regex.Pattern;

/**
 * Container image references, checked before a descriptor is published and again before a pilot hands
 * one to its runtime: a descriptor's image string reached podman as options once
 * ({@code --privileged -v /:/host alpine}). The grammar is the OCI distribution reference's
 * ({@code [registry[:port]/]name[:tag][@digest]}, as docker and podman parse it); Apptainer also takes
 * {@code docker://}, {@code library://}, {@code shub://} or {@code oras://} before one, or a path to a
 * {@code .sif} file.
 */
public final class ImageReferences {
    private static final String PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
    private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final String DOMAIN = "(?:" + DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*"
            + "|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?";
    private static final String TAG = "[\\w][\\w.-]{0,127}";
    private static final String DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
    private static final Pattern OCI = Pattern.compile("(?:" + DOMAIN + "/)?" + PATH_COMPONENT + "(?:/" + PATH_COMPONENT
            + ")*(?::" + TAG + ")?(?:@" + DIGEST + ")?");
    private static final Pattern APPTAINER_SCHEME = Pattern.compile("(?:docker|library|shub|oras)://(.*)");
    private static final Pattern SIF = Pattern.compile("/?[A-Za-z0-9._+][A-Za-z0-9._+/-]*\\.sif");
    private static final int MAX_LENGTH = 512;

    private ImageReferences() {
    }

    /** Whether {@code image} is an OCI reference such as {@code ghcr.io/team/tool:1.2@sha256:...}. */
    public static boolean isOci(String image) {
        return image != null && image.length() <= MAX_LENGTH && OCI.matcher(image).matches();
    }

    /** Whether Apptainer may be given {@code image}: an OCI reference, one behind a known scheme, or a .sif path. */
    public static boolean isApptainer(String image) {
        if (image == null || image.length() > MAX_LENGTH) {
            return false;
        }
        var scheme = APPTAINER_SCHEME.matcher(image);
        return isOci(scheme.matches() ? scheme.group(1) : image) || SIF.matcher(image).matches();
    }

    /** Why {@code image} is refused, in words for the descriptor's author (for either kind of runtime). */
    public static String explain(String image) {
        String shown = image == null ? "nothing" : "\"" + (image.length() > 80 ? image.substring(0, 80) + "..." : image) + "\"";
        return "must be a container image reference such as debian:12 or registry.example.org/team/tool:1.2@sha256:<hex>"
                + " (lowercase name, optional :tag and @digest; Apptainer also takes docker://, library://, shub://,"
                + " oras:// or a .sif path), never options; got " + shown;
    }
}
