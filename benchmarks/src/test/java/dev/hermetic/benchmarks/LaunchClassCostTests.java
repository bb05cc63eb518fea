package dev.hermetic.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import org.junit.jupiter.api.Test;

class LaunchClassCostTests {
    @Test
    void launchWhenComparedWithTheLaunchersListThenTheSameClasses() throws Exception {
        // package-private in the loader: what a launch loads before main, which LauncherTests keeps exact
        Field field = Class.forName("dev.hermetic.loader.Launch").getDeclaredField("LAUNCH_CLASSES");
        field.setAccessible(true);

        assertThat(LaunchClassCost.LAUNCH).containsExactlyInAnyOrder((String[]) field.get(null));
    }
}
