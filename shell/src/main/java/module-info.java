/** The srv6sh command line. */
module srv6sh.shell {
    requires srv6sh.interpreter;
    requires srv6sh.dataplane;
    requires info.picocli;

    opens dev.srv6sh.shell to
            info.picocli;
}
