package dev.srv6sh.aws;

import java.util.List;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * How a stack marks what it owns: every resource is tagged as it is created (TagSpecifications, so
 * there is no untagged moment) with {@code srv6sh:stack=STACK}, its address in the stack
 * ({@code srv6sh:resource=vpc/pv}) and a {@code Name} for the console. Destroy deletes only what
 * carries the stack's tag and is in its state.
 */
final class Tags {
    private Tags() {}

    static final String STACK = "srv6sh:stack";
    static final String RESOURCE = "srv6sh:resource";
    static final String MANAGED_BY = "srv6sh:managed-by";

    static List<Tag> of(String stack, String address) {
        return List.of(
                Tag.builder().key(STACK).value(stack).build(),
                Tag.builder().key(RESOURCE).value(address).build(),
                Tag.builder().key(MANAGED_BY).value("srv6sh").build(),
                Tag.builder().key("Name").value(name(stack, address)).build());
    }

    static TagSpecification spec(ResourceType type, String stack, String address) {
        return TagSpecification.builder()
                .resourceType(type)
                .tags(of(stack, address))
                .build();
    }

    /** {@code quickstart-pv-transit}: the Name tag of {@code subnet/pv/transit}. */
    static String name(String stack, String address) {
        int slash = address.indexOf('/');
        return stack + "-" + address.substring(slash + 1).replace('/', '-');
    }

    static Filter stackFilter(String stack) {
        return Filter.builder().name("tag:" + STACK).values(stack).build();
    }

    /** The value of {@code key} among {@code tags}, or null. */
    static String value(List<Tag> tags, String key) {
        if (tags == null) {
            return null;
        }
        for (Tag t : tags) {
            if (key.equals(t.key())) {
                return t.value();
            }
        }
        return null;
    }
}
