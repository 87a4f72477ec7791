package dev.srv6sh.dataplane.port.linux;

/**
 * A Linux error number as people read it: the C library's text and the symbol the man pages use,
 * {@code "No such device (ENODEV)"}. The symbols are the x86-64 and AArch64 (asm-generic) numbers of
 * the errors a port can meet; any other shows as {@code errno N}.
 */
public record Errno(int code) {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EINTR = 4;
    public static final int EAGAIN = 11;
    public static final int EACCES = 13;
    public static final int EBUSY = 16;
    public static final int ENODEV = 19;
    public static final int EINVAL = 22;
    public static final int ENOBUFS = 105;
    public static final int ENETDOWN = 100;

    /** The symbol, {@code ENODEV}; {@code errno N} for one not listed. */
    public String symbol() {
        return switch (code) {
            case EPERM -> "EPERM";
            case ENOENT -> "ENOENT";
            case 3 -> "ESRCH";
            case EINTR -> "EINTR";
            case 5 -> "EIO";
            case 6 -> "ENXIO";
            case 9 -> "EBADF";
            case EAGAIN -> "EAGAIN";
            case 12 -> "ENOMEM";
            case EACCES -> "EACCES";
            case 14 -> "EFAULT";
            case EBUSY -> "EBUSY";
            case 17 -> "EEXIST";
            case ENODEV -> "ENODEV";
            case EINVAL -> "EINVAL";
            case 23 -> "ENFILE";
            case 24 -> "EMFILE";
            case 25 -> "ENOTTY";
            case 28 -> "ENOSPC";
            case 34 -> "ERANGE";
            case 36 -> "ENAMETOOLONG";
            case 38 -> "ENOSYS";
            case 90 -> "EMSGSIZE";
            case 92 -> "ENOPROTOOPT";
            case 93 -> "EPROTONOSUPPORT";
            case 94 -> "ESOCKTNOSUPPORT";
            case 95 -> "EOPNOTSUPP";
            case 97 -> "EAFNOSUPPORT";
            case 98 -> "EADDRINUSE";
            case 99 -> "EADDRNOTAVAIL";
            case ENETDOWN -> "ENETDOWN";
            case 101 -> "ENETUNREACH";
            case ENOBUFS -> "ENOBUFS";
            default -> "errno " + code;
        };
    }

    /** The C library's text ({@code strerror}): "No such device". */
    public String text() {
        return Libc.strerror(code);
    }

    /** {@code "No such device (ENODEV)"}. */
    @Override
    public String toString() {
        return text() + " (" + symbol() + ")";
    }
}
