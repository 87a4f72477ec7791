/**
 * Clouds, seen from the interpreter.
 *
 * <pre>
 * CloudSpec ──► Provider.plan ──► Plan ──► Provider.apply ──► Deployment ─┬─► RouterHandle.agent() (RouterAgent: commit, show, trace, capture)
 *   (desired)      (vs observe())                                         └─► HostHandle.ping(...)
 * </pre>
 *
 * Providers: {@code local} (dev.srv6sh.cloud.local) emulates regions, VPC fabrics and hosts in this
 * JVM and runs every router as a real data plane {@code Engine}.
 */
package dev.srv6sh.cloud;
