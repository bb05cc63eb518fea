package dev.hermetic.loader;

import dev.hermetic.loader.archive.Archive;
import dev.hermetic.loader.archive.Module;
import dev.hermetic.loader.compile.CompileCache;
import dev.hermetic.loader.compile.CompileException;
import dev.hermetic.loader.compile.ModuleCompiler;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Recompiles stale modules, keeping the results in the compile cache directory so that the next start
 * is fast again. A class of its own so that the compiler's classes load only when a module is stale.
 * Not thread-safe: {@link ModuleValidator} serialises its calls.
 */
final class Recompiler {
    private static final int RUNNING_RELEASE = Runtime.version().feature();
    /** The packer's options, for caches it did not compile, whose options the index does not know. */
    private static final String USUAL_OPTIONS = "-encoding UTF-8 -g:source,lines -proc:none";

    private final Archive archive;
    private final LoaderSettings settings;
    private final CompileCache cache;
    private ModuleCompiler compiler;
    private String identity;

    Recompiler(Archive archive, LoaderSettings settings) {
        this.archive = archive;
        this.settings = settings;
        this.cache = settings.cache()
                ? CompileCache.in(settings.cacheDirectory().orElseGet(CompileCache::defaultDirectory)) : null;
    }

    /**
     * @return the module's class files, from the compile cache or compiled now
     * @throws NoClassDefFoundError when this runtime cannot compile, or the source does not compile
     */
    Map<String, byte[]> recompile(Module module, String className, byte[] source, byte[] sourceSha256, String reason)
            throws IOException {
        String unavailable = ModuleCompiler.unavailableReason();
        if (unavailable != null) {
            throw new NoClassDefFoundError(className + " in " + archive.path() + " is stale (" + reason
                    + ") and cannot be recompiled: " + unavailable);
        }
        List<String> options = ModuleCompiler.options(recordedOptions(module), RUNNING_RELEASE);
        if (identity == null) {
            identity = archive.identity();
        }
        String key = CompileCache.key(sourceSha256, module.source(), options, identity);
        if (cache != null) {
            Map<String, byte[]> hit = cache.get(key);
            if (hit != null) {
                ModuleValidator.log(settings, module, "cache hit " + cache.file(key));
                return hit;
            }
        }
        long start = System.nanoTime();
        Map<String, byte[]> classes;
        try {
            if (compiler == null) {
                compiler = ModuleCompiler.of(archive);
            }
            classes = compiler.compile(module, source, options);
        } catch (CompileException e) {
            throw new NoClassDefFoundError(className + " in " + archive.path() + " is stale (" + reason
                    + ") and does not compile: " + e.getMessage());
        }
        ModuleValidator.log(settings, module, "compiled in " + (System.nanoTime() - start) / 1_000_000 + " ms");
        if (cache != null) {
            try {
                cache.put(key, classes);
            } catch (IOException e) {
                ModuleValidator.warn("cannot keep " + module.source() + " in the compile cache: " + e.getMessage());
            }
        }
        return classes;
    }

    /** The options the index recorded; for caches the packer did not compile, its usual ones at their release. */
    private static String recordedOptions(Module module) {
        if (!module.compilerOptions().isEmpty()) {
            return module.compilerOptions();
        }
        int release = module.classVersion() >= 52 ? module.classVersion() - 44 : RUNNING_RELEASE;
        return "--release " + release + " " + USUAL_OPTIONS;
    }
}
