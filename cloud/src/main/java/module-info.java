/** Clouds: the CloudSpec, the Provider SPI and its backends. The local backend runs routers in-process. */
module srv6sh.cloud {
    requires transitive srv6sh.dataplane;
    requires java.management;
    requires org.apache.sshd.osgi; // the agent's SSH transport
    requires org.bouncycastle.provider; // ed25519 keys for MINA SSHD 2.x
    requires org.slf4j; // MINA logs through it (an automatic module brings in no module of its own)

    exports dev.srv6sh.cloud;
    exports dev.srv6sh.cloud.ssh;
    exports dev.srv6sh.cloud.netns; // Leftovers: what a netns deployment left, by prefix
    exports dev.srv6sh.cloud.local to
            srv6sh.aws; // AddressPlan: the aws backend numbers a VPC as local and netns do

    uses dev.srv6sh.cloud.ProviderFactory; // backends in modules of their own: aws
}
