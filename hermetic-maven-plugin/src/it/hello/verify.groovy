// The archive replaced the main jar (the jar plugin's is kept as .original), runs with java -jar,
// ships its source, and two builds are byte-identical.
import java.nio.file.Files

// The scripts run in the JVM of the calling build: its java runs the archive.
def java = System.getProperty('java.home') + '/bin/java'
def first = new File(basedir, 'target/hello-1.0.jar')
def second = new File(basedir, 'target2/hello-1.0.jar')
assert first.isFile() : "no $first"
assert new File(basedir, 'target/hello-1.0.jar.original').isFile()

def proc = [java, '-jar', first.path, 'a', 'b'].execute()
def out = new StringBuilder(), err = new StringBuilder()
proc.waitForProcessOutput(out, err)
assert proc.exitValue() == 0 : "exit ${proc.exitValue()}: $err"
assert out.toString().trim() == 'Hello from ArchiveClassLoader: a b'

def zip = new java.util.zip.ZipFile(first)
try {
    assert zip.getEntry('HERMETIC-INF/sources/it/hello/Hello.java') != null
    assert zip.getEntry('HERMETIC-INF/classes/it/hello/Hello.class') != null
    def entry = zip.getEntry('HERMETIC-INF/index')
    // DOS time fields, equal to the UTC fields of project.build.outputTimestamp
    assert entry.timeLocal == java.time.LocalDateTime.parse('2024-05-06T07:08:10')
} finally {
    zip.close()
}

assert Arrays.equals(Files.readAllBytes(first.toPath()), Files.readAllBytes(second.toPath())) : 'two builds differ'
def log = new File(basedir, 'build.log').text
assert log.contains('[INFO] Packed ') && log.contains('main class it.hello.Hello')
return true
