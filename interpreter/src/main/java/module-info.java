/** From script to effects: checker, evaluator, lowering, operations. Exports the facade and the renderers. */
module srv6sh.interpreter {
    requires transitive srv6sh.grammar;
    requires transitive srv6sh.cloud; // results carry the cloud's plan
    requires transitive srv6sh.dataplane; // the facade hands out a router's DataplaneConfig
    requires org.knowm.xchart;
    requires java.desktop;

    exports dev.srv6sh.interpreter;
    exports dev.srv6sh.interpreter.render;

    uses dev.srv6sh.interpreter.RouterShells; // the shell module serves routers' shells over SSH
}
