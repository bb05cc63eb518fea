import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** {@code java MakeBlob.java ARCHIVE BLOB}: the loader classes of an archive's root, in the patch's blob format. */
public final class MakeBlob {
    public static void main(String[] args) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        try (ZipFile archive = new ZipFile(args[0])) {
            for (ZipEntry entry : Collections.list(archive.entries())) {
                String name = entry.getName();
                if (name.startsWith("dev/hermetic/loader/") && name.endsWith(".class")) {
                    byte[] body = archive.getInputStream(entry).readAllBytes();
                    out.writeUTF(name.substring(0, name.length() - 6).replace('/', '.'));
                    out.writeInt(body.length);
                    out.write(body);
                }
            }
        }
        Files.write(Path.of(args[1]), bytes.toByteArray());
    }
}
