package dev.srv6sh.cloud.local;

import dev.srv6sh.cloud.model.InstanceTypes;
import dev.srv6sh.cloud.model.TokenBucket;

/**
 * What an EC2 instance's network allows it to send: its type's bandwidth on every ENI together, and
 * the narrower allowance for traffic that leaves its VPC through the internet gateway (to other
 * regions, or to a public address). Both shape at the sender; runs on the event loop.
 */
final class Instance {
    final String name;
    final InstanceTypes.InstanceType type;
    final TokenBucket egress;
    final TokenBucket internet;

    Instance(String name, InstanceTypes.InstanceType type, LinkModel model) {
        this.name = name;
        this.type = type;
        long bps = model.instanceBps() > 0 ? model.instanceBps() : type.bps();
        this.egress = model.bucket(bps);
        this.internet = model.bucket(Math.min(bps, type.internetBps()));
    }

    /** When a frame sent at {@code now} leaves the instance, or -1 when its queue drops it. */
    long send(long now, int bytes, boolean viaInternetGateway) {
        long t = egress.admit(now, bytes);
        if (t < 0 || !viaInternetGateway) {
            return t;
        }
        return internet.admit(t, bytes);
    }

    long dropped() {
        return egress.dropped() + internet.dropped();
    }
}
