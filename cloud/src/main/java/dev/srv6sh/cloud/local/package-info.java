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
 * AddressPlan numbers everything the same way the aws backend lays it out.
 */
package dev.srv6sh.cloud.local;
