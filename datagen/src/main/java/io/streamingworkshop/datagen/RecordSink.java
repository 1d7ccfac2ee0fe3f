package io.streamingworkshop.datagen;

import java.util.Map;

/** Where a run's records go (files, Kafka), in arrival order. Used by {@link Generation}, once per run. */
interface RecordSink {

    /** Checks and prepares everything before the first record, so a bad target fails before any work. */
    void open();

    void accept(GeneratedRecord record);

    /** Makes everything written visible (the last file, the flaw log, buffered Kafka messages). */
    void finish();

    /** After a failure: removes what is half-written. Whatever was already published stays whole. */
    void abort();

    /** Data files written for {@code type} so far (0 for Kafka). */
    long files(RecordType type);

    /** The {@code output} section of the manifest of {@code type}. */
    Map<String, Object> describe(RecordType type);

    /** Writes the manifest of {@code type} where this sink keeps manifests (if it keeps any). */
    void publishManifest(RecordType type, Manifest manifest);
}
