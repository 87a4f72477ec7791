/**
 * The {@code local} backend: regions, VPCs, hosts and routers emulated in one JVM, as a discrete-event
 * simulation in virtual time.
 *
 * <pre>
 *  EmulatedHost ─ENI─┐                                   ┌─ENI─ EmulatedHost
 *                 VpcFabric ══ Internet (RTT/2 delay) ══ VpcFabric
 *  LocalRouter ══ENI─┘ inside/transit     (IPv6 only)    └─ENI══ LocalRouter
 *     (Engine)                                                      (Engine)
 *             all of it events of one EventLoop, on a virtual clock
 * </pre>
 *
 * The {@link dev.srv6sh.cloud.local.EventLoop} runs on the thread of the operation that needs the
 * world to move (a ping, a flow), as fast as the events can be processed. Links, queues, pacing and
 * jitter ({@link dev.srv6sh.cloud.local.Jitter}, seeded) are computed in virtual time; each router
 * runs its real engine on the real frames, and the thread CPU time that took ({@link
 * dev.srv6sh.cloud.local.WorkMeter}) is charged to the virtual clock, so an RTT is the configured path
 * plus the routers' real cost whatever else the machine is doing.
 *
 * AddressPlan numbers everything the same way the aws backend lays it out, public IPv4 addresses
 * included (the fabric's internet gateway NATs them 1:1, {@link dev.srv6sh.cloud.local.Nat}: the
 * {@code direct} path). The traffic model ({@link dev.srv6sh.cloud.local.LinkModel}): each instance
 * shapes what it sends ({@link dev.srv6sh.cloud.local.Instance}, token buckets ({@link dev.srv6sh.cloud.model.TokenBucket}) at its type's
 * bandwidth), the Internet shapes each flow and delays it by RTT/2 plus a bounded jitter. Hosts run
 * UDP flows as {@link dev.srv6sh.cloud.local.UdpSource} and {@link dev.srv6sh.cloud.local.UdpSink}.
 */
package dev.srv6sh.cloud.local;
