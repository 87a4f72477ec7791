package dev.srv6sh.dataplane.bench;

/** The innermost packet's transport in a benchmark or warm-up case. */
public enum Transport {
    UDP(17, 17, 8),
    TCP(6, 6, 20),
    /** An echo request: ICMP in IPv4, ICMPv6 in IPv6. */
    ICMP(1, 58, 8);

    private final int protocol4;
    private final int protocol6;
    private final int headerBytes;

    Transport(int protocol4, int protocol6, int headerBytes) {
        this.protocol4 = protocol4;
        this.protocol6 = protocol6;
        this.headerBytes = headerBytes;
    }

    int protocol4() {
        return protocol4;
    }

    int protocol6() {
        return protocol6;
    }

    int headerBytes() {
        return headerBytes;
    }
}
