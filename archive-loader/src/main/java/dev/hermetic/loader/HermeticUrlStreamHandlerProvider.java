package dev.hermetic.loader;

import java.net.URLStreamHandler;
import java.net.spi.URLStreamHandlerProvider;

/**
 * Registers the {@code hermetic:} scheme with the JDK, so that {@code new URL("hermetic:...")} works in
 * any code and thread, also code that never saw an {@link ArchiveClassLoader}. Listed in this jar's
 * {@code META-INF/services}, which the packer copies to every archive's root.
 */
public final class HermeticUrlStreamHandlerProvider extends URLStreamHandlerProvider {
    /** Called by {@link java.util.ServiceLoader}. */
    public HermeticUrlStreamHandlerProvider() {
    }

    @Override
    public URLStreamHandler createURLStreamHandler(String protocol) {
        return HermeticUrls.PROTOCOL.equals(protocol) ? HermeticUrls.HANDLER : null;
    }
}
