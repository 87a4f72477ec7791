/** The srv6sh vector data plane. Depends on the JDK only. */
module srv6sh.dataplane {
    requires jdk.management;

    exports dev.srv6sh.dataplane;
    exports dev.srv6sh.dataplane.agent;
    exports dev.srv6sh.dataplane.config;
    exports dev.srv6sh.dataplane.pcap;
    exports dev.srv6sh.dataplane.port;
    exports dev.srv6sh.dataplane.port.linux;
    exports dev.srv6sh.dataplane.proto;
    exports dev.srv6sh.dataplane.bench;
}
