package dev.srv6sh.udp;

import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The process's one Netty event loop for its udp ports: a single daemon thread ({@code srv6sh-udp})
 * running epoll for every udp port's channel, made when the first port opens and shut down when the
 * last one closes. One thread is enough for a router's few tunnels and leaves the other cores to the
 * engines.
 */
final class Loops {
    private static IoEventLoopGroup group;
    private static int users;

    private Loops() {}

    /** The group, made if none runs; each call is matched by one {@link #release}. */
    static synchronized IoEventLoopGroup acquire() {
        if (group == null) {
            group = new MultiThreadIoEventLoopGroup(
                    1, new DefaultThreadFactory("srv6sh-udp", true), EpollIoHandler.newFactory());
        }
        users++;
        return group;
    }

    /** A port is done with the group: the last one shuts it down (its thread ends within a second). */
    static synchronized void release() {
        if (--users == 0) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            group = null;
        }
    }
}
