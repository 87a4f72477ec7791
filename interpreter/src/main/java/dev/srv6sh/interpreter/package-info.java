/**
 * The interpreter's face: {@link dev.srv6sh.interpreter.Interpreter} and its exit codes.
 *
 * <pre>
 * text ─► Parser ─► Program ─► Evaluator(check only) ─► diagnostics? exit 2
 *                                  │
 *                                  └► Evaluator(run) ─ declarations ─► Desired ─► Lowering ─► CloudSpec ─► Provider
 *                                                    └ operations ─► Ops ─► Binder ─► DataplaneConfig ─► RouterHandle
 * </pre>
 */
package dev.srv6sh.interpreter;
