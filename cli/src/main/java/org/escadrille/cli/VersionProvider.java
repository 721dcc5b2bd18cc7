package org.escadrille.cli;

import picocli.CommandLine;

/** {@code escadrille --version}: the version in the jar's manifest (absent when run from classes), and the JVM. */
public final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = Main.class.getPackage().getImplementationVersion();
        return new String[] {
            "escadrille " + (version == null ? "(development build)" : version),
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"
        };
    }
}
