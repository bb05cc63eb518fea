package dev.hermetic.loader;

import java.net.URLStreamHandler;
import java.net.spi.URLStreamHandlerProvider;

/**
 * Registers the {@code hermetic:} scheme with the JDK, so that {@code new URL("hermetic:...")} works in
 * any code and thread, also code that never saw an {@link ArchiveClassLoader}. Listed in this jar's
 * {@code META-INF/services}, which the packer copies to every archive's root. The JDK loads it with the
 * application class loader; when the launch runs in the {@linkplain LauncherClassLoader launcher's own
 * loader}, where the archive's loaders hold their archives open, it hands the scheme to its copy there.
 */
public final class HermeticUrlStreamHandlerProvider extends URLStreamHandlerProvider {
    /** Called by {@link java.util.ServiceLoader}. */
    public HermeticUrlStreamHandlerProvider() {
    }

    /** This provider in the launcher's own loader, whose archives are open there; made at the first need. */
    private URLStreamHandlerProvider launcher;

    @Override
    public URLStreamHandler createURLStreamHandler(String protocol) {
        if (!HermeticUrls.PROTOCOL.equals(protocol)) {
            return null;
        }
        // null in the application class loader without a launcher's loader, and always in the copy
        // of this class in the launcher's loader, whose Launcher is a copy that never made one
        LauncherClassLoader own = Launcher.own();
        if (own == null) {
            try {
                return HermeticUrls.HANDLER;
            } catch (LinkageError e) {
                // no launch ran, and the archive's root holds only the launcher's front: no handler here,
                // as for any scheme no provider knows
                return null;
            }
        }
        synchronized (this) {
            if (launcher == null) {
                try {
                    launcher = (URLStreamHandlerProvider) Class.forName(getClass().getName(), true, own)
                            .getConstructor().newInstance();
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot make the URL handler provider of the launcher's loader", e);
                }
            }
        }
        return launcher.createURLStreamHandler(protocol);
    }
}
