package dev.srv6sh.aws;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * How a stack marks what it owns: every resource is tagged as it is created (TagSpecifications, so
 * there is no untagged moment) with {@code srv6sh:stack=STACK}, the state's random {@code
 * srv6sh:stack-id=ID} (two stacks of one name in one account differ there), its address in the
 * stack ({@code srv6sh:resource=vpc/pv}) and a {@code Name} for the console. Destroy deletes only
 * what carries the stack's tag and ID and is in its state.
 */
final class Tags {
    private Tags() {}

    static final String STACK = "srv6sh:stack";
    static final String STACK_ID = "srv6sh:stack-id";
    static final String RESOURCE = "srv6sh:resource";
    static final String MANAGED_BY = "srv6sh:managed-by";

    /** The tags of {@code address}; without the ID tag for a state that has no ID. */
    static List<Tag> of(String stack, String stackId, String address) {
        List<Tag> out = new ArrayList<>();
        out.add(Tag.builder().key(STACK).value(stack).build());
        if (stackId != null) {
            out.add(Tag.builder().key(STACK_ID).value(stackId).build());
        }
        out.add(Tag.builder().key(RESOURCE).value(address).build());
        out.add(Tag.builder().key(MANAGED_BY).value("srv6sh").build());
        out.add(Tag.builder().key("Name").value(name(stack, address)).build());
        return List.copyOf(out);
    }

    static TagSpecification spec(ResourceType type, String stack, String stackId, String address) {
        return TagSpecification.builder()
                .resourceType(type)
                .tags(of(stack, stackId, address))
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

    static Filter idFilter(String stackId) {
        return Filter.builder().name("tag:" + STACK_ID).values(stackId).build();
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
