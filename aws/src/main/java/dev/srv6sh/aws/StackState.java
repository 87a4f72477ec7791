package dev.srv6sh.aws;

import dev.srv6sh.cloud.CloudSpec;
import dev.srv6sh.cloud.ProviderException;
import dev.srv6sh.cloud.StateFile;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The stack's state file as the provider keeps it: every resource's ID by its address, written
 * after each create or delete (so an interrupted apply leaves a file that is at most one call
 * behind, and the next apply also finds that one by its tags). Threads of several regions write it.
 */
final class StackState {
    private final Path path;
    private final String stack;
    private final String script;
    private CloudSpec spec;
    private final Map<String, String> ids = new TreeMap<>();

    StackState(Path path, String stack, String script, CloudSpec spec, Map<String, String> ids) {
        this.path = path;
        this.stack = stack;
        this.script = script;
        this.spec = spec;
        this.ids.putAll(ids);
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
        StateFile.write(path, "aws", script, spec, stack, ids);
    }
}
