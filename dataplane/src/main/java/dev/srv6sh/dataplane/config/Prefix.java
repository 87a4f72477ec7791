package dev.srv6sh.dataplane.config;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** An IPv4 or IPv6 prefix; the address is kept as given (host bits may be set, as in an interface address). */
public record Prefix(InetAddress address, int length) {

    public Prefix {
        int max = address instanceof Inet4Address ? 32 : 128;
        if (length < 0 || length > max) {
            throw new IllegalArgumentException("prefix length " + length + " is out of 0.." + max);
        }
    }

    public boolean isIpv6() {
        return address instanceof Inet6Address;
    }

    /** Parses {@code 10.11.0.0/16} or {@code 2001:db8::/32} (literals only; never a DNS lookup). */
    public static Prefix parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("not a prefix: '" + text + "' (ADDRESS/LENGTH)");
        }
        InetAddress a = Addresses.parse(text.substring(0, slash));
        int len;
        try {
            len = Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a prefix length: '" + text.substring(slash + 1) + "'");
        }
        return new Prefix(a, len);
    }

    /** The same prefix with its host bits cleared. */
    public Prefix network() {
        byte[] b = address.getAddress();
        for (int i = 0; i < b.length; i++) {
            int bits = Math.max(0, Math.min(8, length - 8 * i));
            b[i] &= (byte) (0xff << (8 - bits));
        }
        try {
            return new Prefix(InetAddress.getByAddress(b), length);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    public boolean contains(InetAddress a) {
        byte[] p = address.getAddress();
        byte[] x = a.getAddress();
        if (p.length != x.length) {
            return false;
        }
        for (int i = 0; i < p.length; i++) {
            int bits = Math.max(0, Math.min(8, length - 8 * i));
            int mask = (0xff << (8 - bits)) & 0xff;
            if (((p[i] ^ x[i]) & mask) != 0) {
                return false;
            }
        }
        return true;
    }

    /** The n-th address of this prefix ({@code 10.11.1.0/24}.host(4) = 10.11.1.4); fails outside it. */
    public InetAddress host(java.math.BigInteger n) {
        int bits = isIpv6() ? 128 : 32;
        if (n.signum() < 0 || n.bitLength() > bits - length) {
            throw new IllegalArgumentException("address " + n + " is outside " + this);
        }
        java.math.BigInteger base =
                new java.math.BigInteger(1, network().address().getAddress());
        return fromBigInteger(base.or(n), bits);
    }

    public InetAddress host(long n) {
        return host(java.math.BigInteger.valueOf(n));
    }

    /**
     * Terraform's {@code cidrsubnet}: the {@code index}-th subnet of this prefix that is {@code newbits}
     * longer ({@code 10.0.0.0/8}.subnet(8, 11) = 10.11.0.0/16).
     */
    public Prefix subnet(int newbits, long index) {
        int bits = isIpv6() ? 128 : 32;
        if (newbits < 0 || length + newbits > bits) {
            throw new IllegalArgumentException(
                    "cannot extend /" + length + " by " + newbits + " bits (at most /" + bits + ")");
        }
        if (index < 0 || (newbits < 63 && index >= (1L << newbits))) {
            throw new IllegalArgumentException(
                    "subnet index " + index + " does not fit in " + newbits + " bits of " + this);
        }
        java.math.BigInteger base =
                new java.math.BigInteger(1, network().address().getAddress());
        java.math.BigInteger add = java.math.BigInteger.valueOf(index).shiftLeft(bits - length - newbits);
        return new Prefix(fromBigInteger(base.or(add), bits), length + newbits);
    }

    private static InetAddress fromBigInteger(java.math.BigInteger v, int bits) {
        byte[] raw = v.toByteArray();
        byte[] out = new byte[bits / 8];
        int n = Math.min(raw.length, out.length);
        System.arraycopy(raw, raw.length - n, out, out.length - n, n);
        try {
            return InetAddress.getByAddress(out);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return Addresses.format(address) + "/" + length;
    }
}
