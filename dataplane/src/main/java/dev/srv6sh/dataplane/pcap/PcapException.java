package dev.srv6sh.dataplane.pcap;

import java.io.IOException;

/** A pcap file that cannot be read or written; the message names the file and, if any, the record. */
public final class PcapException extends IOException {
    public PcapException(String message) {
        super(message);
    }

    public PcapException(String message, Throwable cause) {
        super(message, cause);
    }
}
