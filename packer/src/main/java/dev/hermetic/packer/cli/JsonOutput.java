package dev.hermetic.packer.cli;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Option;

/** The {@code --json} option of the commands that print JSON for machines, and the one way they write it. */
final class JsonOutput {
    @Option(names = "--json", description = "Print JSON for machines.")
    boolean enabled;

    /** Writes one JSON document. */
    interface Body {
        void write(JsonGenerator json) throws IOException;
    }

    /** @return the document the body writes, pretty-printed */
    static String render(Body body) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator json = new JsonFactory().createGenerator(bytes, JsonEncoding.UTF8)) {
            json.useDefaultPrettyPrinter();
            body.write(json);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
