package dev.srv6sh.dataplane.agent;

/** One FIB entry as {@code show fib} prints it: table, prefix, and where the lookup leads. */
public record FibEntry(int table, String prefix, String result) {}
