package dev.srv6sh.dataplane.agent;

import dev.srv6sh.dataplane.config.DataplaneConfig;
import dev.srv6sh.dataplane.config.Prefix;

/**
 * What a backend gives a router daemon it starts ({@code srv6sh router --config FILE.json}): the
 * router's first configuration (the topology the backend built: interfaces with their drivers and
 * devices, connected and default routes) and its locator, where the router shell places new SIDs.
 * The script's SRV6 program then comes through the agent, as a commit, like every later change.
 */
public record RouterBoot(DataplaneConfig config, Prefix locator) {}
