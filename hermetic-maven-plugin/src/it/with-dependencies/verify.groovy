// The archive is attached with its classifier (the jar stays the main artifact and is installed too),
// nests the runtime dependencies in Maven's class-path order (not the provided or test ones), takes
// the main class from the jar's manifest, applies the validation rule, and runs with java -jar.
import java.nio.file.Files

// The scripts run in the JVM of the calling build: its java runs the archive.
def java = System.getProperty('java.home') + '/bin/java'
def archive = new File(basedir, 'target/deps-1.0-hermetic.jar')
assert archive.isFile() : "no $archive"
assert new File(basedir, 'target/deps-1.0.jar').isFile()

def proc = [java, '-jar', archive.path].execute()
def out = new StringBuilder(), err = new StringBuilder()
proc.waitForProcessOutput(out, err)
assert proc.exitValue() == 0 : "exit ${proc.exitValue()}: $err"
assert out.toString().trim() == '{"greeting":"hi"}'

def zip = new java.util.zip.ZipFile(archive)
def libs
try {
    libs = zip.entries().toList()*.name.findAll { it.startsWith('HERMETIC-INF/lib/') }
    assert zip.getEntry('HERMETIC-INF/sources/it/deps/legacy/Old.java') != null
} finally {
    zip.close()
}
// Maven's class-path order: the direct dependency, then its own dependencies
assert libs == ['HERMETIC-INF/lib/jackson-databind-2.21.3.jar', 'HERMETIC-INF/lib/jackson-annotations-2.21.jar',
                'HERMETIC-INF/lib/jackson-core-2.21.3.jar'] : "libs: $libs"

def log = new File(basedir, 'build.log').text
assert log.contains('nested jars, main class it.deps.Main')

def installed = new File(localRepositoryPath, 'it/hermetic/deps/1.0/deps-1.0-hermetic.jar')
assert installed.isFile() : "not installed: $installed"
assert Arrays.equals(Files.readAllBytes(installed.toPath()), Files.readAllBytes(archive.toPath()))
assert new File(localRepositoryPath, 'it/hermetic/deps/1.0/deps-1.0.jar').isFile()
return true
