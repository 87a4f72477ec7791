package dev.srv6sh.dataplane;

import dev.srv6sh.dataplane.proto.Bytes;
import dev.srv6sh.dataplane.proto.Ethernet;
import dev.srv6sh.dataplane.proto.Icmp6;
import dev.srv6sh.dataplane.proto.Ip6;
import dev.srv6sh.dataplane.proto.Nd;
import java.lang.foreign.MemorySegment;

/**
 * ip6-nd: Neighbor Solicitations and Advertisements (RFC 4861), straight behind the received Ethernet
 * header. Each is validated as §7.1.1 and §7.1.2 require, every failure a counted reason. An NS for
 * an address of the receiving interface (to its solicited-node group or to the address itself) is
 * answered in its own buffer with an NA (§7.2.4: Router and Override set, Solicited unless the NS came
 * from :: for duplicate address detection, which is answered to all nodes), after its source link-
 * layer address updates the neighbor table (§7.2.3); an NA updates the entry of its target (§7.2.5).
 * A worker's copy of a frame another worker answers ({@link Buffers#LEARN_ONLY}) is learned from, and
 * consumed (its failures too: the answering copy counts them). An NA for a neighbor not in the table
 * that every worker is given ({@link Buffers#EVERY_WORKER}: af_packet ports of a router with several
 * workers) answers another worker's solicitation, and is consumed, not counted as an error.
 * Inputs: ip6-input (ICMPv6 types 135 and 136). Outputs: interface-output (the NA), error-drop.
 */
final class Ip6Nd extends Node {
    enum Error {
        TOO_SHORT("NS/NA shorter than 24 bytes"),
        HOP_LIMIT("NS/NA hop limit is not 255 (it crossed a router)"),
        BAD_CODE("NS/NA ICMPv6 code is not 0"),
        BAD_CHECKSUM("NS/NA ICMPv6 checksum is wrong"),
        MULTICAST_TARGET("NS/NA target is a multicast address"),
        ZERO_LENGTH_OPTION("NS/NA option of length 0"),
        OPTION_OVERRUN("NS/NA option runs past the message"),
        BAD_LINK_ADDRESS("link-layer address option is not 8 bytes holding a unicast MAC"),
        DAD_NOT_SOLICITED_NODE("NS from :: not to a solicited-node group"),
        DAD_WITH_SOURCE_ADDRESS("NS from :: with a source link-layer address option"),
        SOLICITED_TO_MULTICAST("NA to a multicast address with the Solicited flag"),
        NOT_OUR_TARGET("NS for an address the interface does not have"),
        SOURCE_IS_US("NS from an address of this interface"),
        NOT_FOR_US("NS/NA to an address that is not this interface's"),
        OUR_ADDRESS("NA for an address of this interface (a duplicate?)"),
        UNKNOWN_NEIGHBOR("NA for a neighbor not in the table (ignored, RFC 4861 §7.2.5)"),
        STATIC_NEIGHBOR("NA for a static neighbor (ignored)");

        private final String text;

        Error(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** The link-layer address option was absent; {@link #BAD} that the options are malformed. */
    private static final long NONE = -1;

    private static final long BAD = -2;
    private Error optionError;

    Ip6Nd(Engine e) {
        super(e, "ip6-nd", Error.values());
    }

    @Override
    void process(Fib fib, Buffers b, int[] vector, int n, int[] next) {
        MemorySegment m = b.memory;
        for (int k = 0; k < n; k++) {
            int buf = vector[k];
            next[k] = handle(fib, b, m, buf);
        }
    }

    private int handle(Fib fib, Buffers b, MemorySegment m, int buf) {
        long ip = b.at(buf);
        long icmp = ip + Ip6.LENGTH;
        int length = b.length[buf] - Ip6.LENGTH;
        if (length < Nd.MIN_LENGTH) {
            return drop(b, buf, Error.TOO_SHORT);
        }
        if (Ip6.hopLimit(m, ip) != Nd.HOP_LIMIT) {
            return drop(b, buf, Error.HOP_LIMIT);
        }
        if (Icmp6.code(m, icmp) != 0) {
            return drop(b, buf, Error.BAD_CODE);
        }
        if (!Icmp6.checksumValid(m, ip, icmp, length)) {
            return drop(b, buf, Error.BAD_CHECKSUM);
        }
        long targetHi = Nd.targetHi(m, icmp);
        long targetLo = Nd.targetLo(m, icmp);
        if ((targetHi >>> 56) == 0xff) {
            return drop(b, buf, Error.MULTICAST_TARGET);
        }
        boolean ns = Icmp6.type(m, icmp) == Nd.SOLICITATION;
        long lla = linkAddress(
                m,
                icmp + Nd.MIN_LENGTH,
                icmp + length,
                ns ? Nd.OPTION_SOURCE_LINK_ADDRESS : Nd.OPTION_TARGET_LINK_ADDRESS);
        if (lla == BAD) {
            return drop(b, buf, optionError);
        }
        int ifi = b.rxIf[buf];
        long dstHi = Ip6.dstHi(m, ip);
        long dstLo = Ip6.dstLo(m, ip);
        boolean toGroup = (dstHi >>> 56) == 0xff;
        return ns
                ? solicitation(fib, b, m, buf, ifi, targetHi, targetLo, lla, toGroup)
                : advertisement(fib, b, m, buf, ifi, targetHi, targetLo, lla, toGroup);
    }

    private int solicitation(
            Fib fib, Buffers b, MemorySegment m, int buf, int ifi, long tHi, long tLo, long lla, boolean toGroup) {
        long ip = b.at(buf);
        long srcHi = Ip6.srcHi(m, ip);
        long srcLo = Ip6.srcLo(m, ip);
        long dstHi = Ip6.dstHi(m, ip);
        long dstLo = Ip6.dstLo(m, ip);
        boolean dad = srcHi == 0 && srcLo == 0;
        if (dad && !Nd.isSolicitedNode(dstHi, dstLo)) {
            return drop(b, buf, Error.DAD_NOT_SOLICITED_NODE);
        }
        if (dad && lla != NONE) {
            return drop(b, buf, Error.DAD_WITH_SOURCE_ADDRESS);
        }
        if (!fib.isAddress6(ifi, tHi, tLo)) {
            return drop(b, buf, Error.NOT_OUR_TARGET);
        }
        if (fib.isAddress6(ifi, srcHi, srcLo)) {
            return drop(b, buf, Error.SOURCE_IS_US); // our own, looped back, or someone using our address
        }
        boolean forUs = toGroup
                ? dstHi == Nd.LINK_SCOPE_MULTICAST_HI && dstLo == Nd.solicitedNodeLo(tLo)
                : fib.isAddress6(ifi, dstHi, dstLo);
        if (!forUs) {
            return drop(b, buf, Error.NOT_FOR_US);
        }
        Neighbors neighbors = engine.resolution();
        if (!dad && lla != NONE) {
            neighbors.heard(fib, ifi, srcHi, srcLo, lla, true);
        }
        if ((b.flags[buf] & Buffers.LEARN_ONLY) != 0) {
            neighbors.consumed++; // another worker answers it (Workers)
            b.release(buf);
            return -1;
        }
        // §7.2.4: to the solicitation's source at the link layer address it gave (else the frame's
        // source), or, for duplicate address detection, to all nodes
        long frame = ip - Ethernet.LENGTH;
        long toMac = dad ? Nd.multicastMac(Nd.ALL_NODES_LO) : lla != NONE ? lla : Ethernet.src(m, frame);
        long toHi = dad ? Nd.LINK_SCOPE_MULTICAST_HI : srcHi;
        long toLo = dad ? Nd.ALL_NODES_LO : srcLo;
        int flags = Nd.ROUTER | Nd.OVERRIDE | (dad ? 0 : Nd.SOLICITED);
        Nd.write(m, ip, Nd.ADVERTISEMENT, flags, tHi, tLo, toHi, toLo, tHi, tLo, fib.ifMac[ifi]);
        Ethernet.write(m, frame, toMac, fib.ifMac[ifi], Ethernet.TYPE_IP6);
        b.offset[buf] -= Ethernet.LENGTH;
        b.length[buf] = Ethernet.LENGTH + Nd.MESSAGE_LENGTH;
        b.txIf[buf] = ifi;
        b.flags[buf] = Buffers.ORIGINATED;
        neighbors.consumed++;
        neighbors.answers++;
        return INTERFACE_OUTPUT;
    }

    private int advertisement(
            Fib fib, Buffers b, MemorySegment m, int buf, int ifi, long tHi, long tLo, long lla, boolean toGroup) {
        long ip = b.at(buf);
        int flags = Nd.flags(m, ip + Ip6.LENGTH);
        boolean solicited = (flags & Nd.SOLICITED) != 0;
        if (toGroup && solicited) {
            return drop(b, buf, Error.SOLICITED_TO_MULTICAST);
        }
        if (!toGroup && !fib.isAddress6(ifi, Ip6.dstHi(m, ip), Ip6.dstLo(m, ip))) {
            return drop(b, buf, Error.NOT_FOR_US);
        }
        if (fib.isAddress6(ifi, tHi, tLo)) {
            return drop(b, buf, Error.OUR_ADDRESS);
        }
        Neighbors neighbors = engine.resolution();
        return switch (neighbors.advertised(fib, ifi, tHi, tLo, lla, solicited, (flags & Nd.OVERRIDE) != 0)) {
            case NO_ENTRY -> {
                if ((b.flags[buf] & Buffers.EVERY_WORKER) != 0) {
                    // every worker gets it: the one that solicited the neighbor has the entry, and used it
                    neighbors.consumed++;
                    b.release(buf);
                    yield -1;
                }
                yield drop(b, buf, Error.UNKNOWN_NEIGHBOR);
            }
            case STATIC -> drop(b, buf, Error.STATIC_NEIGHBOR);
            case USED -> {
                neighbors.consumed++;
                b.release(buf);
                yield -1;
            }
        };
    }

    /**
     * Walks the options from {@code at} to {@code end} (each must have a non-zero length and end within
     * the message) and returns the MAC of the first link-layer address option of {@code type}, {@link
     * #NONE} without one, or {@link #BAD} with {@link #optionError} set. Other options are skipped, as
     * §4.6 says of unrecognized ones.
     */
    private long linkAddress(MemorySegment m, long at, long end, int type) {
        long found = NONE;
        while (at < end) {
            if (at + 2 > end) {
                optionError = Error.OPTION_OVERRUN;
                return BAD;
            }
            int units = Bytes.u8(m, at + 1);
            if (units == 0) {
                optionError = Error.ZERO_LENGTH_OPTION;
                return BAD;
            }
            if (at + 8L * units > end) {
                optionError = Error.OPTION_OVERRUN;
                return BAD;
            }
            if (Bytes.u8(m, at) == type && found == NONE) {
                long mac = ((long) Bytes.u16(m, at + 2) << 32) | (Bytes.u32(m, at + 4) & 0xffff_ffffL);
                if (units != 1 || !Ethernet.isUnicast(mac)) {
                    optionError = Error.BAD_LINK_ADDRESS;
                    return BAD;
                }
                found = mac;
            }
            at += 8L * units;
        }
        return found;
    }
}
