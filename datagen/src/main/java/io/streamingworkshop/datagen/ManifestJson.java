package io.streamingworkshop.datagen;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.IOException;

/**
 * How manifests look on disk: Jackson's pretty printer with two-space indents, {@code "key": value}
 * and {@code \n} line ends on every system, so the same run gives the same bytes on Windows too.
 */
final class ManifestJson {

    static final ObjectMapper MAPPER = new ObjectMapper();
    static final ObjectWriter WRITER = MAPPER.writer(new Printer());

    private ManifestJson() {}

    /** Jackson's default writes {@code "key" : value} and the system's line separator. */
    private static final class Printer extends DefaultPrettyPrinter {
        private static final long serialVersionUID = 1L;

        Printer() {
            DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
            indentObjectsWith(indenter);
            indentArraysWith(indenter);
        }

        private Printer(Printer base) {
            super(base);
        }

        @Override
        public DefaultPrettyPrinter createInstance() {
            return new Printer(this);
        }

        @Override
        public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(": ");
        }
    }
}
