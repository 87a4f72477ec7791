package dev.srv6sh.cloud.local;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Round-trip times between AWS regions for the emulated links. Measured figures (EC2-to-EC2 ping over
 * inter-region peering, shared/reference/performance.md §7) where we have them; otherwise a
 * great-circle model fitted to those figures: {@code rtt = 5 ms + 0.0165 ms/km × distance}.
 */
final class RttModel {
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
            Map.entry("us-east-1", new double[] {38.90, -77.04}),
            Map.entry("us-east-2", new double[] {39.96, -83.00}),
            Map.entry("us-west-1", new double[] {37.77, -122.42}),
            Map.entry("us-west-2", new double[] {45.52, -122.68}),
            Map.entry("ca-central-1", new double[] {45.50, -73.57}),
            Map.entry("sa-east-1", new double[] {-23.55, -46.63}),
            Map.entry("ap-northeast-1", new double[] {35.68, 139.69}),
            Map.entry("ap-northeast-2", new double[] {37.57, 126.98}),
            Map.entry("ap-northeast-3", new double[] {34.69, 135.50}),
            Map.entry("ap-southeast-1", new double[] {1.35, 103.82}),
            Map.entry("ap-southeast-2", new double[] {-33.87, 151.21}),
            Map.entry("ap-south-1", new double[] {19.08, 72.88}),
            Map.entry("ap-east-1", new double[] {22.32, 114.17}),
            Map.entry("me-south-1", new double[] {26.07, 50.56}),
            Map.entry("af-south-1", new double[] {-33.92, 18.42}));

    /** Average RTTs in milliseconds, measured (performance.md §7). */
    private static final Map<String, Double> MEASURED = new HashMap<>();

    static {
        measured("eu-west-3", "eu-west-2", 9.435);
        measured("eu-west-3", "eu-central-1", 11.61);
        measured("eu-west-3", "eu-west-1", 18.486);
        measured("eu-west-3", "us-east-1", 79.748);
        measured("eu-west-3", "us-west-2", 147.916);
        measured("eu-west-3", "sa-east-1", 218.02);
        measured("eu-west-3", "ap-northeast-1", 225.934);
        measured("eu-west-3", "ap-southeast-2", 275.802);
        measured("eu-west-3", "eu-north-1", 29.117);
        measured("eu-west-3", "us-east-2", 89.567);
        measured("eu-west-3", "ca-central-1", 93.43);
        measured("eu-west-3", "ap-south-1", 106.954);
        measured("eu-west-3", "us-west-1", 138.496);
        measured("eu-west-3", "ap-southeast-1", 165.951);
        measured("eu-west-3", "ap-northeast-2", 253.109);
        measured("eu-west-2", "eu-west-1", 11.327);
    }

    /** Two VPCs in one region (or two emulation-only sites with no code) are this far apart. */
    static final Duration SAME_REGION = Duration.ofNanos(500_000);

    /** Emulation-only sites ({@code region x local}) without an {@code rtt} override. */
    static final Duration UNKNOWN = Duration.ofMillis(10);

    private RttModel() {}

    private static void measured(String a, String b, double ms) {
        MEASURED.put(key(a, b), ms);
    }

    private static String key(String a, String b) {
        return a.compareTo(b) <= 0 ? a + "|" + b : b + "|" + a;
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
            double[] a = SITES.get(codeA);
            double[] b = SITES.get(codeB);
            if (a == null || b == null) {
                return UNKNOWN;
            }
            ms = 5.0 + 0.0165 * greatCircleKm(a, b);
        }
        return Duration.ofNanos(Math.round(ms * 1e6));
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
