package io.streamingworkshop.datagen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamingworkshop.testkit.WorkDir;
import io.streamingworkshop.testkit.WorkshopTest;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

@WorkshopTest
class FileOutputTest {

    static Datagen flawedIot() {
        return Datagen.iot()
                .events(7_777)
                .seed(11)
                .eventsPerFile(500)
                .late(0.04, Duration.ofMinutes(10))
                .outOfOrder(0.03, Duration.ofSeconds(30))
                .duplicates(0.02, Duration.ofSeconds(10))
                .malformed(0.02)
                .schemaChange(0.5);
    }

    @Test
    void theManifestCountsWhatTheFilesHold(WorkDir work) {
        Path dir = work.dir("iot");
        Datagen datagen = flawedIot();
        WriteSummary summary = datagen.toFiles(dir);
        Manifest manifest = Manifest.read(dir);
        List<GeneratedRecord> records = datagen.records();

        List<Path> files = DataFiles.visible(dir);
        assertThat(files).hasSize((int) manifest.files());
        assertThat(files.get(0).getFileName()).hasToString("part-00000.json");
        for (int i = 0; i < files.size() - 1; i++) {
            assertThat(DataFiles.lines(files.get(i))).hasSize(500);
        }
        List<String> lines = DataFiles.allLines(dir);
        assertThat(lines).hasSize((int) manifest.records());
        assertThat(manifest.records()).isEqualTo(7_777 + 156);
        assertThat(manifest.events()).isEqualTo(7_777);
        assertThat(lines.stream().distinct().count()).isEqualTo(7_777); // duplicates are exact copies

        Map<Flaw, Long> byFlaw =
                records.stream().collect(Collectors.groupingBy(GeneratedRecord::flaw, Collectors.counting()));
        for (Flaw flaw : Flaw.values()) {
            assertThat(manifest.count(flaw)).as("%s", flaw).isEqualTo(byFlaw.getOrDefault(flaw, 0L));
        }
        assertThat(manifest.late()).isEqualTo(311);
        assertThat(manifest.outOfOrder()).isEqualTo(233);
        assertThat(manifest.malformed()).isEqualTo(155);
        assertThat(manifest.duplicates()).isEqualTo(156);
        long brokenLines =
                lines.stream().filter(l -> DataFiles.parse(l) == null).count();
        assertThat(brokenLines).isEqualTo(manifest.brokenJson());
        long wrongTypes = lines.stream()
                .map(DataFiles::parse)
                .filter(j -> j != null && j.get("temperature").isTextual())
                .count();
        assertThat(wrongTypes).isEqualTo(manifest.wrongType());
        // A broken record may have lost the new field to the cut: the others show it exactly when labelled.
        assertThat(records)
                .filteredOn(r -> r.flaw() != Flaw.BROKEN_JSON)
                .allMatch(r -> r.json().contains("\"battery_pct\"") == r.schemaChanged());
        long changed = records.stream()
                .filter(r -> r.flaw() != Flaw.DUPLICATE && r.schemaChanged())
                .count();
        assertThat(manifest.schemaChanged()).isEqualTo(changed).isEqualTo(3_889);

        Instant first = records.stream()
                .map(GeneratedRecord::eventTime)
                .min(Instant::compareTo)
                .orElseThrow();
        Instant last = records.stream()
                .map(GeneratedRecord::eventTime)
                .max(Instant::compareTo)
                .orElseThrow();
        assertThat(manifest.firstEventTime()).isEqualTo(first).isEqualTo(Instant.parse("2024-05-01T10:00:00Z"));
        assertThat(manifest.lastEventTime()).isEqualTo(last).isEqualTo(Instant.parse("2024-05-01T10:12:57.600Z"));
        assertThat(manifest.seed()).isEqualTo(11L);
        assertThat(manifest.options()).containsEntry("late_by", "10m").containsEntry("events", 7777);
        assertThat(manifest.output()).containsEntry("type", "files").containsEntry("events_per_file", 500);
        assertThat(manifest.toJson()).isEqualTo(summary.manifest().toJson());
    }

    @Test
    void theFlawLogSaysWhereEachFlawedRecordIs(WorkDir work) {
        Path dir = work.dir("iot");
        Manifest manifest = flawedIot().toFiles(dir).manifest();
        List<String> entries = DataFiles.lines(dir.resolve("_flaws.jsonl"));
        Map<Flaw, Long> counted = new EnumMap<>(Flaw.class);
        for (String entry : entries) {
            JsonNode json = DataFiles.parse(entry);
            Flaw flaw = Flaw.valueOf(json.get("flaw").asText().toUpperCase(Locale.ROOT));
            counted.merge(flaw, 1L, Long::sum);
            String line = DataFiles.lines(dir.resolve(json.get("file").asText()))
                    .get(json.get("line").asInt() - 1);
            String idField = flaw == Flaw.BROKEN_JSON ? line.substring(0, line.indexOf(',')) : line;
            assertThat(idField).contains("\"event_id\":\"" + json.get("id").asText() + "\"");
        }
        assertThat(entries).hasSize((int) (manifest.records() - manifest.count(Flaw.NONE)));
        for (Flaw flaw : Flaw.values()) {
            if (flaw != Flaw.NONE) {
                assertThat(counted.getOrDefault(flaw, 0L)).as("%s", flaw).isEqualTo(manifest.count(flaw));
            }
        }
    }

    @Test
    void ordersAndShipmentsGoToTwoDirectoriesEachWithItsManifest(WorkDir work) {
        WriteSummary summary = Datagen.orders().events(1_000).unshipped(0.2).toFiles(work.dir("shop"));
        assertThat(DataFiles.names(work.dir("shop"))).containsExactly("orders", "shipments");
        Manifest orders = Manifest.read(work.dir("shop").resolve("orders"));
        Manifest shipments = Manifest.read(work.dir("shop").resolve("shipments"));
        assertThat(orders.events()).isEqualTo(1_000);
        assertThat(shipments.events()).isEqualTo(800);
        assertThat(shipments.stream()).isEqualTo("shipments");
        assertThat(summary.manifest(RecordType.SHIPMENT).toJson()).isEqualTo(shipments.toJson());
        assertThat(DataFiles.allLines(work.dir("shop").resolve("shipments"))).hasSize(800);
    }

    @Test
    void aDimensionIsOneManifestAndItsRowsWithoutFlawLog(WorkDir work) {
        Manifest users =
                Datagen.users().userCount(2_500).toFiles(work.dir("users")).manifest();
        assertThat(DataFiles.names(work.dir("users")))
                .containsExactly("_manifest.json", "part-00000.json", "part-00001.json", "part-00002.json");
        assertThat(users.events()).isEqualTo(2_500);
        assertThat(users.seed()).isNull();
        assertThat(users.firstEventTime()).isNull();
    }

    @Test
    void aNonEmptyDirectoryIsRefusedAndNothingInItIsTouched(WorkDir work) throws Exception {
        Path dir = work.dir("mine");
        Files.writeString(dir.resolve("notes.txt"), "keep me");
        assertThatThrownBy(() -> Datagen.iot().toFiles(dir))
                .isInstanceOf(DatagenException.class)
                .hasMessageContaining("is not empty (notes.txt)");
        assertThatThrownBy(() -> Datagen.iot().overwrite(true).toFiles(dir))
                .isInstanceOf(DatagenException.class)
                .hasMessageContaining("holds entries datagen did not write (notes.txt)");
        assertThat(DataFiles.names(dir)).containsExactly("notes.txt");
        assertThat(Files.readString(dir.resolve("notes.txt"))).isEqualTo("keep me");
    }

    @Test
    void overwriteReplacesWhatAnEarlierRunWrote(WorkDir work) {
        Path dir = work.dir("iot");
        Datagen.iot().events(3_000).toFiles(dir);
        assertThatThrownBy(() -> Datagen.iot().events(1_000).toFiles(dir)).isInstanceOf(DatagenException.class);
        Datagen.iot().events(1_000).overwrite(true).toFiles(dir);
        assertThat(DataFiles.visible(dir)).hasSize(1);
        assertThat(Manifest.read(dir).events()).isEqualTo(1_000);
    }

    @Test
    void aDirectoryThatCannotBeCreatedFailsBeforeAnythingIsWritten(WorkDir work) throws Exception {
        Path file = Files.writeString(work.root().resolve("a-file"), "x");
        assertThatThrownBy(() -> Datagen.iot().toFiles(file.resolve("out")))
                .isInstanceOf(DatagenException.class)
                .hasMessageStartingWith("Cannot create the output directory " + file.resolve("out"));
        assertThatThrownBy(() -> Datagen.iot().toFiles(file))
                .isInstanceOf(DatagenException.class)
                .hasMessage("Cannot write to " + file + ": it is a file, not a directory");
    }

    @Test
    void aFailureWhileWritingEndsTheRunWithOneClearMessage(WorkDir work) throws Exception {
        Path dir = work.dir("vanishing");
        CompletableFuture<WriteSummary> run = CompletableFuture.supplyAsync(() -> Datagen.iot()
                .events(2_000)
                .eventsPerFile(10)
                .pacing(Pacing.filesPerSecond(100))
                .toFiles(dir));
        Thread.sleep(300);
        // Someone deletes the directory under the running writer.
        while (Files.exists(dir)) {
            try {
                WorkDir.deleteRecursively(dir);
            } catch (UncheckedIOException raced) {
                // a file appeared while deleting: try again
            }
        }
        assertThatThrownBy(run::join)
                .hasCauseInstanceOf(DatagenException.class)
                .cause()
                .hasMessageMatching("Cannot (write|publish) .*vanishing.*: no such file or directory.*");
    }

    @Test
    void noHiddenFileIsLeftBehind(WorkDir work) {
        Datagen.clickstream().events(2_345).eventsPerFile(100).malformed(0.1).toFiles(work.dir("clicks"));
        assertThat(DataFiles.names(work.dir("clicks"))).allMatch(name -> !name.startsWith("."));
        assertThat(DataFiles.names(work.dir("clicks"))).contains("_flaws.jsonl", "_manifest.json", "part-00023.json");
    }
}
