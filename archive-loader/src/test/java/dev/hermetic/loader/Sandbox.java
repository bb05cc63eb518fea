package dev.hermetic.loader;

import java.security.AccessControlContext;
import java.security.AccessController;
import java.security.Permission;
import java.security.Permissions;
import java.security.Policy;
import java.security.PrivilegedExceptionAction;
import java.security.ProtectionDomain;

/**
 * Runs code with no permissions under a security manager whose policy grants every other domain
 * everything: what a sandboxed caller of a loader looks like. JDK 17 only (later JDKs refuse a security
 * manager); the manager and the policy are removed afterwards.
 */
@SuppressWarnings("removal")
final class Sandbox {
    private Sandbox() {
    }

    static <T> T run(PrivilegedExceptionAction<T> action) throws Exception {
        ProtectionDomain sandbox = new ProtectionDomain(null, new Permissions());
        AccessControlContext sandboxed = new AccessControlContext(new ProtectionDomain[] {sandbox});
        Policy everything = new Policy() {
            @Override
            public boolean implies(ProtectionDomain domain, Permission permission) {
                return domain != sandbox;
            }
        };
        Policy policy = Policy.getPolicy();
        Policy.setPolicy(everything);
        System.setSecurityManager(new SecurityManager());
        try {
            return AccessController.doPrivileged(action, sandboxed);
        } finally {
            System.setSecurityManager(null);
            Policy.setPolicy(policy);
        }
    }
}
