package dev.srv6sh.dataplane.pcap;

/** The link types srv6sh reads (the LINKTYPE_ values of tcpdump.org's list); it writes Ethernet. */
public enum LinkType {
    ETHERNET(1),
    /** Raw IP: the version nibble says IPv4 or IPv6. */
    RAW(101),
    IPV4(228),
    IPV6(229);

    private final int code;

    LinkType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The link type of a header's code, or null when srv6sh does not read it. */
    static LinkType of(int code) {
        for (LinkType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }
}
