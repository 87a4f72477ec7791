/** The srv6sh command line. */
module srv6sh.shell {
    requires srv6sh.interpreter;
    requires srv6sh.dataplane;
    requires srv6sh.udp; // the router daemon's udp interfaces, on Netty
    requires info.picocli;
    requires org.jline; // the REPL
    requires jdk.unsupported; // JLine traps Ctrl-C (SIGINT) through sun.misc.Signal
    requires org.apache.sshd.osgi; // the router daemon's SSH server
    requires org.bouncycastle.provider; // ed25519 keys for MINA SSHD 2.x
    requires org.slf4j; // MINA logs through it (an automatic module brings in no module of its own)

    provides dev.srv6sh.interpreter.RouterShells with
            dev.srv6sh.shell.router.ScriptShells; // a deployment's routers' shells ('ssh ADDRESS:PORT')

    opens dev.srv6sh.shell to
            info.picocli;
    opens dev.srv6sh.shell.wire to
            srv6sh.dataplane; // the wire benchmark's report, written as JSON by AgentJson
}
