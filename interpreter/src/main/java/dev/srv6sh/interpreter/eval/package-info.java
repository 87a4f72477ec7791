/**
 * Evaluation: statements ({@link dev.srv6sh.interpreter.eval.Evaluator}), declarations ({@code
 * Declarations} → {@link dev.srv6sh.interpreter.eval.Desired}), expressions ({@code Exprs},
 * {@code Operators}, {@code Builtins}), late checks ({@code Resolver}), lowering to the cloud
 * ({@code Lowering}), binding the SRv6 program to a deployment ({@code Binder}), and operations
 * ({@link dev.srv6sh.interpreter.eval.Ops}, by job: {@code LifecycleOps}, {@code ProbeOps}, {@code
 * ShowOps}, {@code TraceCaptureOps}).
 *
 * <pre>
 * Evaluator ─┬─ Declarations ─► Desired ─► Resolver (names declared ahead)
 *            ├─ Exprs ─ Operators, Builtins
 *            └─ Ops ─┬─ LifecycleOps ─ Lowering ─► Provider.plan/apply ─► Binder ─► RouterHandle.configure
 *                    ├─ ProbeOps ─► HostHandle.ping/udp
 *                    ├─ ShowOps ─► RouterAgent (tables), Candidate
 *                    └─ TraceCaptureOps ─► RouterAgent (trace, capture)
 * </pre>
 */
package dev.srv6sh.interpreter.eval;
