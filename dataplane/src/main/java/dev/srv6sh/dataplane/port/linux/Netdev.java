package dev.srv6sh.dataplane.port.linux;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.srv6sh.dataplane.config.MacAddress;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * A network device as a port asks the kernel about it: the {@code SIOCGIF*} ioctls with a {@code
 * struct ifreq} naming it, on a socket of the device's network namespace (the ioctl's namespace is
 * the socket's, whatever thread calls). Used while a port opens; nothing here is on a hot path.
 */
final class Netdev {
    static final long SIOCGIFFLAGS = 0x8913;
    static final long SIOCSIFFLAGS = 0x8914;
    static final long SIOCGIFMTU = 0x8921;
    static final long SIOCGIFHWADDR = 0x8927;
    static final int IFF_UP = 0x1;
    /** {@code ARPHRD_ETHER}: the link type of Ethernet, veth and TAP devices. */
    static final int ARPHRD_ETHER = 1;
    /** A device name's most bytes: {@code IFNAMSIZ} less its terminating NUL. */
    static final int MAX_NAME = 15;
    /** {@code struct ifreq}: the name, then a 24-byte union (flags, mtu, or a sockaddr). */
    static final int IFREQ_SIZE = 40;

    private static final int UNION = 16;

    private final Libc libc;
    private final int fd;
    private final String name;
    private final MemorySegment ifreq;

    Netdev(Libc libc, Arena arena, int fd, String name) {
        this.libc = libc;
        this.fd = fd;
        this.name = name;
        this.ifreq = arena.allocate(IFREQ_SIZE, 8);
        writeName(ifreq, name);
    }

    /**
     * Why {@code name} cannot name a Linux network device, or null when it can: 1 to 15 bytes, none of
     * them '/', ':', whitespace or a control character, and not "." or "..", as the kernel's
     * {@code dev_valid_name} wants.
     */
    static String invalidName(String name) {
        if (name == null || name.isEmpty()) {
            return "a device name is needed";
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME) {
            return "'" + name + "' is longer than the " + MAX_NAME + " bytes a device name may have";
        }
        if (name.equals(".") || name.equals("..")) {
            return "'" + name + "' is not a device name";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == ':' || Character.isWhitespace(c) || Character.isISOControl(c)) {
                return "'" + name + "' is not a device name: it may not hold '/', ':' or white space";
            }
        }
        return null;
    }

    /** Writes {@code name} NUL-terminated at the start of an ifreq. */
    static void writeName(MemorySegment ifreq, String name) {
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        ifreq.fill((byte) 0);
        MemorySegment.copy(b, 0, ifreq, JAVA_BYTE, 0, b.length);
    }

    private void ioctl(long request, String doing) throws ErrnoException {
        if (libc.ioctl(fd, request, ifreq) < 0) {
            Errno e = libc.error();
            throw new ErrnoException(doing, e, e.code() == Errno.ENODEV ? null : hint(e));
        }
    }

    private static String hint(Errno e) {
        return e.code() == Errno.EPERM || e.code() == Errno.EACCES ? "needs CAP_NET_ADMIN" : null;
    }

    /** The device's MTU: the largest IP packet it carries. */
    int mtu() throws ErrnoException {
        ioctl(SIOCGIFMTU, "reading its MTU (SIOCGIFMTU)");
        return ifreq.get(JAVA_INT, UNION);
    }

    /** The device's link type ({@link #ARPHRD_ETHER}) and, in the low 48 bits, its MAC. */
    long hardwareAddress() throws ErrnoException {
        ioctl(SIOCGIFHWADDR, "reading its MAC (SIOCGIFHWADDR)");
        long type = ifreq.get(JAVA_SHORT, UNION) & 0xffff;
        long mac = 0;
        for (int i = 0; i < 6; i++) {
            mac = (mac << 8) | (ifreq.get(JAVA_BYTE, UNION + 2 + i) & 0xff);
        }
        return (type << 48) | mac;
    }

    /** The device's MAC, or an error when it is no Ethernet device. */
    MacAddress ethernetMac() throws ErrnoException, NotEthernet {
        long hw = hardwareAddress();
        int type = (int) (hw >>> 48);
        if (type != ARPHRD_ETHER) {
            throw new NotEthernet(type);
        }
        return new MacAddress(hw & 0xffff_ffff_ffffL);
    }

    /** The device's interface flags ({@link #IFF_UP}, ...). */
    int flags() throws ErrnoException {
        ioctl(SIOCGIFFLAGS, "reading its flags (SIOCGIFFLAGS)");
        return ifreq.get(JAVA_SHORT, UNION) & 0xffff;
    }

    /** Sets the device administratively up, as {@code ip link set NAME up}. */
    void up() throws ErrnoException {
        int flags = flags();
        if ((flags & IFF_UP) == 0) {
            ifreq.set(JAVA_SHORT, UNION, (short) (flags | IFF_UP));
            ioctl(SIOCSIFFLAGS, "setting it up (SIOCSIFFLAGS)");
        }
    }

    String name() {
        return name;
    }

    /** A device whose link type is not Ethernet (a loopback, a TUN, a WireGuard device). */
    static final class NotEthernet extends Exception {
        NotEthernet(int type) {
            super("not an Ethernet device (link type " + type + "): the data plane sends and receives Ethernet frames");
        }
    }
}
