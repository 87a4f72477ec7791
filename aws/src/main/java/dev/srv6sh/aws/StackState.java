package dev.srv6sh.aws;

import dev.srv6sh.cloud.CloudSpec;
import dev.srv6sh.cloud.ProviderException;
import dev.srv6sh.cloud.StateFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * The stack's state file as the provider keeps it: every resource's ID by its address, written
 * after each create or delete (so an interrupted apply leaves a file that is at most one call
 * behind, and the next apply also finds that one by its tags). Threads of several regions write it.
 *
 * <p>Its {@link #stackId} is random, made with the state: the stack's name comes from the script's
 * file name, which two state files (or two people) in one account can share, and only the ID tag
 * ({@link Tags#STACK_ID}) tells whose a tagged resource is. A state written before stacks had IDs has
 * none ({@link #legacy}): it owns only what it records.
 */
final class StackState {
    private final Path path;
    private final String stack;
    private final String stackId;
    private final String script;
    private CloudSpec spec;
    private final Map<String, String> ids = new TreeMap<>();

    StackState(Path path, String stack, String stackId, String script, CloudSpec spec, Map<String, String> ids) {
        this.path = path;
        this.stack = stack;
        this.stackId = stackId;
        this.script = script;
        this.spec = spec;
        this.ids.putAll(ids);
    }

    /** A new stack's ID: 8 hex digits, random. */
    static String newId() {
        byte[] b = new byte[4];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /**
     * The state in {@code path} (read now: under the lock, what another process wrote before it is
     * seen), or a new one with a new ID; a recorded state without an ID and with resources is {@link
     * #legacy}, and one with neither gets an ID, having nothing to confuse.
     */
    static StackState read(Path path, String stack, String script, StateFile.State recorded) {
        if (recorded == null) {
            return new StackState(path, stack, newId(), script, CloudSpec.empty(), Map.of());
        }
        String id = recorded.stackId();
        if (id == null && recorded.resources().isEmpty()) {
            id = newId();
        }
        return new StackState(path, stack, id, script, recorded.spec(), recorded.resources());
    }

    /** The stack's ID, or null for a state written before stacks had one. */
    String stackId() {
        return stackId;
    }

    /** Written before stacks had IDs: it adopts nothing by its tags. */
    boolean legacy() {
        return stackId == null;
    }

    /** Writes the file now if there is none, so that the ID is on disk before the first create. */
    synchronized void persist() throws ProviderException {
        if (!Files.exists(path)) {
            save();
        }
    }

    Path path() {
        return path;
    }

    synchronized String id(String address) {
        return ids.get(address);
    }

    synchronized Map<String, String> ids() {
        return Map.copyOf(ids);
    }

    synchronized CloudSpec spec() {
        return spec;
    }

    synchronized void spec(CloudSpec s) throws ProviderException {
        this.spec = s;
        save();
    }

    synchronized void put(String address, String id) throws ProviderException {
        if (!id.equals(ids.put(address, id))) {
            save();
        }
    }

    synchronized void remove(String address) throws ProviderException {
        if (ids.remove(address) != null) {
            save();
        }
    }

    synchronized boolean isEmpty() {
        return ids.isEmpty();
    }

    private void save() throws ProviderException {
        StateFile.write(path, "aws", script, spec, stack, stackId, ids);
    }
}
