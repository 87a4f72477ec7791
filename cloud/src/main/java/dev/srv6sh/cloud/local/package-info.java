/**
 * The {@code local} backend: regions, VPCs, hosts and routers emulated in one JVM, in real time.
 *
 * <pre>
 *  EmulatedHost ─ENI─┐                                   ┌─ENI─ EmulatedHost
 *                 VpcFabric ══ Internet (RTT/2 delay) ══ VpcFabric
 *  LocalRouter ══ENI─┘ inside/transit     (IPv6 only)    └─ENI══ LocalRouter
 *     (Engine)                                                      (Engine)
 *                    all of it driven by one EventLoop thread
 * </pre>
 *
 * AddressPlan numbers everything the same way the aws backend lays it out, public IPv4 addresses
 * included (the fabric's internet gateway NATs them 1:1, {@link dev.srv6sh.cloud.local.Nat}: the
 * {@code direct} path). The traffic model ({@link dev.srv6sh.cloud.local.LinkModel}): each instance
 * shapes what it sends ({@link dev.srv6sh.cloud.local.Instance}, token buckets at its type's
 * bandwidth), the Internet shapes each flow and delays it by RTT/2 plus a bounded jitter. Hosts run
 * UDP flows as {@link dev.srv6sh.cloud.local.UdpSource} and {@link dev.srv6sh.cloud.local.UdpSink}.
 */
package dev.srv6sh.cloud.local;
