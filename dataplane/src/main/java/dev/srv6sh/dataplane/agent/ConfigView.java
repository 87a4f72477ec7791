package dev.srv6sh.dataplane.agent;

import dev.srv6sh.dataplane.config.DataplaneConfig;

/** A configuration and the running generation it is (running) or was started from (a candidate). */
public record ConfigView(long generation, DataplaneConfig config) {}
