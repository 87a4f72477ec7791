package dev.srv6sh.dataplane.agent;

/** A stopped capture: frames written to its stream, and frames it lost because its reader fell behind. */
public record CaptureSummary(String capture, long frames, long dropped) {}
