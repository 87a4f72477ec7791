package dev.srv6sh.shell;

import picocli.CommandLine;

/** The version from the jar's manifest (the build's version), with the Java runtime it runs on. */
final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Main.class.getPackage().getImplementationVersion();
        return new String[] {
            "srv6sh " + (v == null ? "development build" : v),
            "Java " + Runtime.version() + " (" + System.getProperty("java.vm.vendor") + ")"
        };
    }
}
