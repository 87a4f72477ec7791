/** Clouds: the CloudSpec, the Provider SPI and its backends. The local backend runs routers in-process. */
module srv6sh.cloud {
    requires transitive srv6sh.dataplane;
    requires java.management;

    exports dev.srv6sh.cloud;
}
