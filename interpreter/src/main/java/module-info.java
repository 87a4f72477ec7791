/** From script to effects: checker, evaluator, lowering, operations. Exports only the facade. */
module srv6sh.interpreter {
    requires transitive srv6sh.grammar;
    requires srv6sh.cloud;
    requires transitive srv6sh.dataplane; // the facade hands out a router's DataplaneConfig
    requires org.knowm.xchart;
    requires java.desktop;

    exports dev.srv6sh.interpreter;

    uses dev.srv6sh.interpreter.RouterShells; // the shell module serves routers' shells over SSH
}
