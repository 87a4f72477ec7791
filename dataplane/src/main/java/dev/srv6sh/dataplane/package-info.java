/**
 * The vector data plane: {@link dev.srv6sh.dataplane.Engine} runs a VPP-style graph of nodes over
 * off-heap buffers; the {@link dev.srv6sh.dataplane.port.Port}s it is given carry Ethernet frames in
 * and out ({@link dev.srv6sh.dataplane.MemoryPort}: in memory).
 *
 * <pre>
 * DataplaneConfig ─► FibBuilder (validate all) ─► Fib (immutable: LPM tables, adjacencies, SIDs, policies)
 *                                                   │ swapped whole, read once per poll
 * Port.receive ─► Buffers ─► Engine.poll ─► Node.process(vector) … ─► interface-output ─► Port.transmit / error-drop
 * </pre>
 *
 * Each node is one class with a kebab-case name and an {@code Error} enum of counter reasons, in the
 * manner of VPP's nodes and Click's elements; nodes that share all but one step share an abstract
 * class (Lookup, Rewrite, Endpoint for the End family, Decap for End.DX and End.DT). Each endpoint
 * behavior is a {@link dev.srv6sh.dataplane.BehaviorSpec} declared in its node class and listed in
 * {@link dev.srv6sh.dataplane.Behaviors}, as Linux's {@code seg6_action_table}: the engine builds its
 * node from it, FibBuilder compiles SIDs by it, sr-localsid dispatches to the node it chose, and the
 * interpreter, completion and help read the same specs.
 * The graph itself is drawn on {@link dev.srv6sh.dataplane.Engine}.
 */
package dev.srv6sh.dataplane;
