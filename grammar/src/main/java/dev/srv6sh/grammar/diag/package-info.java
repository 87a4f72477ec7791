/**
 * Problems found in a script and how they are shown.
 *
 * <pre>
 * grammar (syntax) ──┐
 *                    ├─► Diagnostic(severity, span, message, notes) ──► DiagnosticRenderer ──► stderr
 * interpreter ───────┘     (check errors)                                  file:line:col, source line, caret
 * </pre>
 */
package dev.srv6sh.grammar.diag;
