package dev.srv6sh.cloud.local;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Round-trip times between AWS regions for the emulated links.
 *
 * <p>Measured: every pair of 16 regions, EC2 to EC2 ping over inter-region VPC peering (the table in
 * {@code aws-rtt.tsv}, whose Paris rows shared/reference/performance.md §7 quotes). A region outside
 * the table is anchored to its nearest measured region: the anchor's measured RTT plus {@value
 * #MS_PER_KM} ms per km of great-circle distance to the anchor (light in fibre takes 10 µs per km
 * there and back; paths run about 1.5 times longer than the great circle). Two regions that share an
 * anchor are {@value #NEAR_FLOOR_MS} ms plus that distance apart. Where no region is near (Cape Town),
 * the estimate is rough; docs/emulation.md gives the model's errors.
 */
public final class RttModel {
    static final double MS_PER_KM = 0.015;
    static final double NEAR_FLOOR_MS = 2.0;

    /** Region code → {latitude, longitude} of the metro area it serves. */
    private static final Map<String, double[]> SITES = Map.ofEntries(
            Map.entry("eu-west-3", new double[] {48.86, 2.35}),
            Map.entry("eu-west-2", new double[] {51.51, -0.13}),
            Map.entry("eu-west-1", new double[] {53.35, -6.26}),
            Map.entry("eu-central-1", new double[] {50.11, 8.68}),
            Map.entry("eu-central-2", new double[] {47.37, 8.54}),
            Map.entry("eu-north-1", new double[] {59.33, 18.07}),
            Map.entry("eu-south-1", new double[] {45.46, 9.19}),
            Map.entry("eu-south-2", new double[] {41.65, -0.88}),
            Map.entry("il-central-1", new double[] {32.09, 34.78}),
            Map.entry("me-south-1", new double[] {26.07, 50.56}),
            Map.entry("me-central-1", new double[] {24.45, 54.38}),
            Map.entry("af-south-1", new double[] {-33.92, 18.42}),
            Map.entry("us-east-1", new double[] {38.90, -77.04}),
            Map.entry("us-east-2", new double[] {39.96, -83.00}),
            Map.entry("us-west-1", new double[] {37.77, -122.42}),
            Map.entry("us-west-2", new double[] {45.52, -122.68}),
            Map.entry("ca-central-1", new double[] {45.50, -73.57}),
            Map.entry("ca-west-1", new double[] {51.05, -114.07}),
            Map.entry("mx-central-1", new double[] {20.59, -100.39}),
            Map.entry("sa-east-1", new double[] {-23.55, -46.63}),
            Map.entry("ap-northeast-1", new double[] {35.68, 139.69}),
            Map.entry("ap-northeast-2", new double[] {37.57, 126.98}),
            Map.entry("ap-northeast-3", new double[] {34.69, 135.50}),
            Map.entry("ap-east-1", new double[] {22.32, 114.17}),
            Map.entry("ap-southeast-1", new double[] {1.35, 103.82}),
            Map.entry("ap-southeast-2", new double[] {-33.87, 151.21}),
            Map.entry("ap-southeast-3", new double[] {-6.21, 106.85}),
            Map.entry("ap-southeast-4", new double[] {-37.81, 144.96}),
            Map.entry("ap-southeast-5", new double[] {3.14, 101.69}),
            Map.entry("ap-south-1", new double[] {19.08, 72.88}),
            Map.entry("ap-south-2", new double[] {17.39, 78.49}));

    /** Average RTTs in milliseconds, measured, by unordered pair. */
    private static final Map<String, Double> MEASURED = load();

    private static Map<String, Double> load() {
        Map<String, Double> m = new HashMap<>();
        try (var in = RttModel.class.getResourceAsStream("aws-rtt.tsv")) {
            if (in == null) {
                throw new IllegalStateException("aws-rtt.tsv is missing from the build");
            }
            for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t");
                m.put(key(f[0], f[1]), Double.parseDouble(f[2]));
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return m;
    }

    private static final java.util.Set<String> MEASURED_REGIONS = regionsOf(MEASURED);

    private static java.util.Set<String> regionsOf(Map<String, Double> pairs) {
        java.util.Set<String> s = new java.util.TreeSet<>();
        pairs.keySet().forEach(k -> s.addAll(java.util.List.of(k.split("\\|"))));
        return java.util.Collections.unmodifiableSet(s);
    }

    /** Regions with measured RTTs. */
    static java.util.Set<String> measuredRegions() {
        return MEASURED_REGIONS;
    }

    /** Two VPCs in one region (or two emulation-only sites with no code) are this far apart. */
    static final Duration SAME_REGION = Duration.ofNanos(500_000);

    /** Emulation-only sites ({@code region x local}) without an {@code rtt} override. */
    static final Duration UNKNOWN = Duration.ofMillis(10);

    private RttModel() {}

    private static String key(String a, String b) {
        return a.compareTo(b) <= 0 ? a + "|" + b : b + "|" + a;
    }

    /**
     * The RTT between two regions of {@code spec}, by name, as the local backend's links emulate it:
     * the script's {@code rtt A B D} override, else {@link #SAME_REGION} within one region, else the
     * table (or its estimate) for the two regions' AWS codes. The netns backend's link daemon delays
     * frames by the same figure, so a script's RTTs are the same on both backends.
     */
    public static Duration between(dev.srv6sh.cloud.CloudSpec spec, String regionA, String regionB) {
        Duration override = null; // the last one wins, as in Internet
        for (dev.srv6sh.cloud.CloudSpec.Rtt r : spec.rtts()) {
            if ((r.a().equals(regionA) && r.b().equals(regionB)) || (r.a().equals(regionB) && r.b().equals(regionA))) {
                override = r.rtt();
            }
        }
        if (override != null) {
            return override;
        }
        if (regionA.equals(regionB)) {
            return SAME_REGION;
        }
        return rtt(code(spec, regionA), code(spec, regionB));
    }

    private static String code(dev.srv6sh.cloud.CloudSpec spec, String region) {
        for (dev.srv6sh.cloud.CloudSpec.Region r : spec.regions()) {
            if (r.name().equals(region)) {
                return r.code(); // null for an emulation-only site
            }
        }
        return null;
    }

    /** The RTT between two AWS region codes (null for an emulation-only site). */
    static Duration rtt(String codeA, String codeB) {
        if (codeA == null || codeB == null) {
            return UNKNOWN;
        }
        if (codeA.equals(codeB)) {
            return SAME_REGION;
        }
        Double ms = MEASURED.get(key(codeA, codeB));
        if (ms == null) {
            if (!SITES.containsKey(codeA) || !SITES.containsKey(codeB)) {
                return UNKNOWN;
            }
            String a = anchor(codeA);
            String b = anchor(codeB);
            double extra = MS_PER_KM * (km(codeA, a) + km(codeB, b));
            ms = a.equals(b) ? NEAR_FLOOR_MS + MS_PER_KM * km(codeA, codeB) : MEASURED.get(key(a, b)) + extra;
        }
        return Duration.ofNanos(Math.round(ms * 1e6));
    }

    /** The measured region nearest to {@code code} (itself when measured). */
    static String anchor(String code) {
        java.util.Set<String> measured = measuredRegions();
        if (measured.contains(code)) {
            return code;
        }
        String best = null;
        for (String m : measured) {
            if (best == null || km(code, m) < km(code, best)) {
                best = m;
            }
        }
        return best;
    }

    private static double km(String a, String b) {
        return greatCircleKm(SITES.get(a), SITES.get(b));
    }

    static boolean knows(String code) {
        return SITES.containsKey(code);
    }

    static double greatCircleKm(double[] a, double[] b) {
        double lat1 = Math.toRadians(a[0]);
        double lat2 = Math.toRadians(b[0]);
        double dLat = lat2 - lat1;
        double dLon = Math.toRadians(b[1] - a[1]);
        double h = Math.sin(dLat / 2) * Math.sin(dLat / 2)
                + Math.cos(lat1) * Math.cos(lat2) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
        return 2 * 6371.0 * Math.asin(Math.min(1, Math.sqrt(h)));
    }
}
