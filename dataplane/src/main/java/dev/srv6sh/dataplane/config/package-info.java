/**
 * What a router's data plane is told: {@link dev.srv6sh.dataplane.config.DataplaneConfig} and its
 * records, plain immutable data with no behavior of their own, so that the interpreter can build
 * them, the router daemon can receive them, and the engine can validate them whole.
 *
 * <pre>
 * interpreter (lowering) ─► DataplaneConfig ─► Engine.apply ─► FibBuilder (validate) ─► Fib
 *   interfaces, routes, neighbors │ sids (behavior, Arg, Flavor) │ policies (PolicyMode) │ steering │ encap
 *   Prefix, MacAddress, Addresses: parsing and formatting of the values they hold
 * </pre>
 */
package dev.srv6sh.dataplane.config;
