package io.streamingworkshop.datagen;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one stream of a run wrote, so a pipeline can reconcile what it received with what was
 * sent: how many events and records, how many of each flaw, how many files, the event-time range,
 * the seed and every option. Written as {@code _manifest.json} beside the files (Spark's file
 * source skips names starting with {@code _}) after the last file, so its presence means the run
 * finished. It holds nothing that depends on the machine or the wall clock: the same options give
 * the same manifest.
 */
public final class Manifest {

    public static final String FILE_NAME = "_manifest.json";

    private final String dataset;
    private final String stream;
    private final Long seed;
    private final long events;
    private final long records;
    private final long duplicates;
    private final long late;
    private final long outOfOrder;
    private final long brokenJson;
    private final long wrongType;
    private final long schemaChanged;
    private final String addedField;
    private final Instant schemaChangeFrom;
    private final long files;
    private final Instant firstEventTime;
    private final Instant lastEventTime;
    private final Map<String, Object> output;
    private final Map<String, Object> options;

    private Manifest(
            String dataset,
            String stream,
            Long seed,
            long events,
            long records,
            long duplicates,
            long late,
            long outOfOrder,
            long brokenJson,
            long wrongType,
            long schemaChanged,
            String addedField,
            Instant schemaChangeFrom,
            long files,
            Instant firstEventTime,
            Instant lastEventTime,
            Map<String, Object> output,
            Map<String, Object> options) {
        this.dataset = dataset;
        this.stream = stream;
        this.seed = seed;
        this.events = events;
        this.records = records;
        this.duplicates = duplicates;
        this.late = late;
        this.outOfOrder = outOfOrder;
        this.brokenJson = brokenJson;
        this.wrongType = wrongType;
        this.schemaChanged = schemaChanged;
        this.addedField = addedField;
        this.schemaChangeFrom = schemaChangeFrom;
        this.files = files;
        this.firstEventTime = firstEventTime;
        this.lastEventTime = lastEventTime;
        this.output = Collections.unmodifiableMap(new LinkedHashMap<>(output));
        this.options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    static Manifest of(GeneratorOptions o, StreamTally t, long files, Map<String, Object> output) {
        boolean dimension = t.type.isDimension();
        boolean hasEvents = !dimension && t.records > 0;
        return new Manifest(
                o.dataset().cliName(),
                t.type.streamName(),
                dimension ? null : o.seed(),
                t.events(),
                t.records,
                t.duplicates,
                t.late,
                t.outOfOrder,
                t.brokenJson,
                t.wrongType,
                t.schemaChanged,
                t.schemaChanged > 0 ? t.type.addedField() : null,
                t.schemaChanged > 0 ? Instant.ofEpochMilli(t.schemaChangeFromMillis) : null,
                files,
                hasEvents ? Instant.ofEpochMilli(t.firstEventMillis) : null,
                hasEvents ? Instant.ofEpochMilli(t.lastEventMillis) : null,
                output,
                o.asMap());
    }

    /** Reads a manifest: the file itself, or the directory holding {@code _manifest.json}. */
    public static Manifest read(Path fileOrDirectory) {
        Path file = Files.isDirectory(fileOrDirectory) ? fileOrDirectory.resolve(FILE_NAME) : fileOrDirectory;
        JsonNode json;
        try {
            json = ManifestJson.MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new DatagenException("Cannot read the manifest " + file + ": " + e.getMessage(), e);
        }
        ObjectMapper mapper = ManifestJson.MAPPER;
        TypeReference<LinkedHashMap<String, Object>> mapType = new TypeReference<>() {};
        return new Manifest(
                json.path("dataset").asText(),
                json.path("stream").asText(),
                json.path("seed").isNull() ? null : json.path("seed").asLong(),
                json.path("events").asLong(),
                json.path("records").asLong(),
                json.path("duplicates").asLong(),
                json.path("late").asLong(),
                json.path("out_of_order").asLong(),
                json.path("malformed_broken_json").asLong(),
                json.path("malformed_wrong_type").asLong(),
                json.path("schema_changed").asLong(),
                text(json, "added_field"),
                instant(json, "schema_change_from"),
                json.path("files").asLong(),
                instant(json, "first_event_time"),
                instant(json, "last_event_time"),
                mapper.convertValue(json.path("output"), mapType),
                mapper.convertValue(json.path("options"), mapType));
    }

    private static String text(JsonNode json, String field) {
        return json.path(field).isTextual() ? json.path(field).asText() : null;
    }

    private static Instant instant(JsonNode json, String field) {
        String text = text(json, field);
        return text == null ? null : Instant.parse(text);
    }

    /** The dataset's name, e.g. {@code iot} or {@code orders}. */
    public String dataset() {
        return dataset;
    }

    /** The stream's name: the dataset's, or {@code orders}/{@code shipments}. */
    public String stream() {
        return stream;
    }

    /** The seed; null for a dimension, which does not depend on it. */
    public Long seed() {
        return seed;
    }

    /** Distinct events (each id once), malformed ones included. */
    public long events() {
        return events;
    }

    /** Lines or messages written: events plus duplicates. */
    public long records() {
        return records;
    }

    public long duplicates() {
        return duplicates;
    }

    public long late() {
        return late;
    }

    public long outOfOrder() {
        return outOfOrder;
    }

    /** Malformed records: broken JSON plus wrong types. */
    public long malformed() {
        return brokenJson + wrongType;
    }

    public long brokenJson() {
        return brokenJson;
    }

    public long wrongType() {
        return wrongType;
    }

    /** Events a schema-aware reader can use: all events but the malformed ones. */
    public long validEvents() {
        return events() - malformed();
    }

    /** Records with the field a schema change adds (duplicates not counted). */
    public long schemaChanged() {
        return schemaChanged;
    }

    /** The field the schema change added, or null if there was none. */
    public String addedField() {
        return addedField;
    }

    /** The earliest event time of a record with the added field, or null. */
    public Instant schemaChangeFrom() {
        return schemaChangeFrom;
    }

    /** The number of records carrying {@code flaw}. */
    public long count(Flaw flaw) {
        switch (flaw) {
            case LATE:
                return late;
            case OUT_OF_ORDER:
                return outOfOrder;
            case DUPLICATE:
                return duplicates;
            case BROKEN_JSON:
                return brokenJson;
            case WRONG_TYPE:
                return wrongType;
            default:
                return records - late - outOfOrder - duplicates - brokenJson - wrongType;
        }
    }

    /** Data files written (0 for Kafka). */
    public long files() {
        return files;
    }

    /** The earliest event time among the records, or null for a dimension. */
    public Instant firstEventTime() {
        return firstEventTime;
    }

    /** The latest event time among the records, or null for a dimension. */
    public Instant lastEventTime() {
        return lastEventTime;
    }

    /** Where the records went: {@code type} ({@code files} or {@code kafka}) and its settings. */
    public Map<String, Object> output() {
        return output;
    }

    /** The generator options of the run ({@link GeneratorOptions#asMap()}). */
    public Map<String, Object> options() {
        return options;
    }

    /** The manifest as written: pretty-printed JSON, keys in a fixed order. */
    public String toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("dataset", dataset);
        json.put("stream", stream);
        json.put("seed", seed);
        json.put("events", events);
        json.put("records", records);
        json.put("duplicates", duplicates);
        json.put("late", late);
        json.put("out_of_order", outOfOrder);
        json.put("malformed", malformed());
        json.put("malformed_broken_json", brokenJson);
        json.put("malformed_wrong_type", wrongType);
        json.put("valid_events", validEvents());
        json.put("schema_changed", schemaChanged);
        json.put("added_field", addedField);
        json.put("schema_change_from", schemaChangeFrom == null ? null : schemaChangeFrom.toString());
        json.put("files", files);
        json.put("first_event_time", firstEventTime == null ? null : firstEventTime.toString());
        json.put("last_event_time", lastEventTime == null ? null : lastEventTime.toString());
        json.put("output", output);
        json.put("options", options);
        try {
            return ManifestJson.WRITER.writeValueAsString(json) + "\n";
        } catch (JsonProcessingException e) {
            throw new DatagenException("Cannot write the manifest as JSON: " + e.getOriginalMessage(), e);
        }
    }

    byte[] toBytes() {
        return toJson().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return toJson();
    }
}
