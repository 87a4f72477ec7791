package dev.srv6sh.cloud.model;

import dev.srv6sh.cloud.ProviderException;
import java.util.Map;
import java.util.TreeMap;

/**
 * The network bandwidth of the EC2 instance types scripts use, from the AWS "network specifications"
 * tables of the instance-type guide: vCPUs, the bandwidth an instance may reach ("up to 10 Gbps"
 * for m5.2xlarge) and the baseline it falls back to once its burst credits are spent. The emulation
 * shapes at the first figure; credits are not modelled (docs/emulation.md). Both backends shape an
 * instance's egress at it: local in its fabric, netns with a {@code tbf} qdisc on the host.
 */
public final class InstanceTypes {
    /** The paper's router and client instance, and the default when a script names none. */
    public static final String DEFAULT = "m5.2xlarge";

    public record InstanceType(String name, int vcpus, double gbps, double baselineGbps) {
        public long bps() {
            return Math.round(gbps * 1e9);
        }

        /**
         * To other regions or through an internet gateway: 5 Gbps below 32 vCPUs, else half the
         * instance's bandwidth or 5 Gbps, whichever is larger (AWS "EC2 instance network bandwidth").
         */
        public long internetBps() {
            return vcpus < 32 ? 5_000_000_000L : Math.max(5_000_000_000L, bps() / 2);
        }
    }

    private static final Map<String, InstanceType> TYPES = new TreeMap<>();

    static {
        add("t3.micro", 2, 5, 0.064);
        add("t3.small", 2, 5, 0.128);
        add("t3.medium", 2, 5, 0.256);
        add("t3.large", 2, 5, 0.512);
        add("m5.large", 2, 10, 0.75);
        add("m5.xlarge", 4, 10, 1.25);
        add("m5.2xlarge", 8, 10, 2.5);
        add("m5.4xlarge", 16, 10, 5);
        add("m5.8xlarge", 32, 10, 10);
        add("m5.16xlarge", 64, 20, 20);
        add("c5.large", 2, 10, 0.75);
        add("c5.xlarge", 4, 10, 1.25);
        add("c5.2xlarge", 8, 10, 2.5);
        add("c5n.large", 2, 25, 3);
        add("c5n.2xlarge", 8, 25, 10);
    }

    private InstanceTypes() {}

    private static void add(String name, int vcpus, double gbps, double baseline) {
        TYPES.put(name, new InstanceType(name, vcpus, gbps, baseline));
    }

    /** The type named (empty or null: the default); an unknown name is an error that lists the known ones. */
    public static InstanceType of(String name, String owner) throws ProviderException {
        String n = name == null || name.isEmpty() ? DEFAULT : name;
        InstanceType t = TYPES.get(n);
        if (t == null) {
            throw new ProviderException(owner + ": srv6sh does not know the bandwidth of instance type '" + n
                    + "'; it emulates " + String.join(", ", TYPES.keySet()));
        }
        return t;
    }
}
