/**
 * The renderers of a script's {@link dev.srv6sh.interpreter.Result}s: {@link
 * dev.srv6sh.interpreter.render.TextRenderer} for people, {@link
 * dev.srv6sh.interpreter.render.JsonRenderer} for programs. The shell chooses one and gives it to
 * whatever runs the script; the router shell renders a router's tables through the text one, so a
 * script, the REPL and the router shell show the same records the same way.
 */
package dev.srv6sh.interpreter.render;
