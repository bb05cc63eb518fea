import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What resolving JDK classes through the application class loader costs, as every class loaded by it
 * does for each JDK class its code names: reads the first {@code N} top-level {@code java.lang},
 * {@code java.io} and {@code java.util} classes of the JDK's own class list (all loaded at start-up
 * already, from its CDS archive) and asks the application class loader for each. {@code N = 0} reads the
 * list only: the baseline.
 */
public final class JdkReferences {
    private JdkReferences() {
    }

    public static void main(String[] args) throws Exception {
        int count = Integer.parseInt(args[0]);
        List<String> names = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(System.getProperty("java.home"), "lib", "classlist"))) {
            boolean wanted = line.startsWith("java/lang/") || line.startsWith("java/io/") || line.startsWith("java/util/");
            // top-level classes of those packages only: no nested classes, no subpackages, no other lines
            if (wanted && names.size() < count && line.indexOf('$') < 0 && line.indexOf(' ') < 0
                    && line.lastIndexOf('/') == line.indexOf('/', 5)) {
                names.add(line.replace('/', '.'));
            }
        }
        ClassLoader app = JdkReferences.class.getClassLoader();
        for (String name : names) {
            Class.forName(name, false, app);
        }
        System.out.println(names.size() + " JDK classes resolved");
    }
}
