/**
 * Recompiling a module from its source at run time, with the archive as the class path, and keeping the
 * result in a content-keyed cache directory (DESIGN §2, "Validation modes").
 *
 * <p>Front doors: {@link dev.hermetic.loader.compile.ModuleCompiler} compiles,
 * {@link dev.hermetic.loader.compile.CompileCache} remembers, {@link dev.hermetic.loader.compile.CompileException}
 * says why a compile failed. Everything that mentions {@code javax.tools} is package-private and loaded
 * only once {@link dev.hermetic.loader.compile.ModuleCompiler#unavailableReason()} has found a compiler,
 * so this package also works, and fails clearly, on a runtime without one. None of it is loaded on the
 * path that serves a trusted or fresh cache.
 */
package dev.hermetic.loader.compile;
