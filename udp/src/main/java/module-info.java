/**
 * The udp port driver: an interface's Ethernet frames carried in UDP datagrams between two routers,
 * on Netty's epoll transport. Netty stays in this module: the data plane depends on the JDK alone,
 * and gets the driver by name ({@link dev.srv6sh.dataplane.port.PortDriver}) from whoever builds a
 * router's ports (the router daemon).
 */
module srv6sh.udp {
    requires transitive srv6sh.dataplane;
    requires io.netty.common;
    requires io.netty.buffer;
    requires io.netty.transport;
    requires io.netty.transport.unix.common;
    requires io.netty.transport.classes.epoll;
    // Netty's JNI library for epoll, recvmmsg and sendmmsg (the pinned linux-x86_64 build): required
    // so that it is resolved on a module path and Netty finds the library among its resources
    requires io.netty.transport.epoll.linux.x86_64;

    exports dev.srv6sh.udp;
}
