/** The srv6sh command line. */
module srv6sh.shell {
    requires srv6sh.interpreter;
    requires srv6sh.dataplane;
    requires info.picocli;
    requires org.jline; // the REPL
    requires jdk.unsupported; // JLine traps Ctrl-C (SIGINT) through sun.misc.Signal

    opens dev.srv6sh.shell to
            info.picocli;
}
