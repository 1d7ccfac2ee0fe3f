package io.streamingworkshop.datagen.cli;

import io.streamingworkshop.datagen.DatasetKind;
import io.streamingworkshop.datagen.RecordType;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import picocli.CommandLine.Command;

/** {@code datasets}: the datasets and the fields of their records, from the schemas themselves. */
@Command(name = "datasets")
final class DatasetsCommand implements Callable<Integer> {

    private final Terminal terminal;

    DatasetsCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        terminal.out().print(text());
        return DatagenCli.OK;
    }

    static String text() {
        StringBuilder text = new StringBuilder("Datasets (--dataset NAME) and the fields of their records:\n");
        for (DatasetKind dataset : DatasetKind.values()) {
            text.append('\n')
                    .append(dataset.cliName())
                    .append(": ")
                    .append(dataset.description())
                    .append('\n');
            for (RecordType type : dataset.recordTypes()) {
                StructType schema = type.schema();
                String fields = Arrays.stream(schema.fields())
                        .map(DatasetsCommand::field)
                        .collect(Collectors.joining(", "));
                text.append("  ")
                        .append(type.streamName())
                        .append(": ")
                        .append(fields)
                        .append('\n');
                if (!type.isDimension()) {
                    StructField added = type.evolvedSchema().fields()[schema.fields().length];
                    text.append("    key ")
                            .append(type.keyField())
                            .append("; event time ")
                            .append(type.eventTimeField())
                            .append("; a schema change adds ")
                            .append(field(added))
                            .append("; a wrong type puts a string in ")
                            .append(type.wrongTypeField())
                            .append('\n');
                }
            }
        }
        return text.toString();
    }

    private static String field(StructField field) {
        return field.name() + " " + field.dataType().simpleString();
    }
}
