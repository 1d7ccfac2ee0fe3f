package io.streamingworkshop.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamingworkshop.datagen.Flaw;
import io.streamingworkshop.datagen.GeneratedRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the pipeline must produce from datagen's records, worked out in plain Java (Jackson for the
 * JSON, collections for the counting), never with Spark or the code under test: the quarantine per
 * reason from each record's flaw, silver as the distinct valid events, and every gold row of every
 * window that the final watermark has closed.
 */
final class ExpectedPipeline {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One valid click, as the JSON says. */
    record Click(String eventId, String userId, String category, String type, double timeOnPage, Instant eventTime) {}

    /** A gold row's key. */
    record GoldKey(Instant windowStart, Instant windowEnd, String category, String segment) {}

    /** A gold row's figures, with the exact number of distinct users beside it. */
    record GoldFigures(long events, long pageViews, long distinctUsers, double avgTimeOnPage) {}

    final Map<String, Long> quarantinedByReason = new TreeMap<>();
    final Map<String, Click> silverById = new LinkedHashMap<>();
    final long duplicateCopies;
    final Instant maxEventTime;
    final Instant finalWatermark;
    private final Map<String, String> segmentOfUser;

    ExpectedPipeline(List<GeneratedRecord> clicks, List<GeneratedRecord> users, Duration watermarkDelay) {
        segmentOfUser = new LinkedHashMap<>();
        for (GeneratedRecord user : users) {
            JsonNode node = read(user.json());
            segmentOfUser.put(
                    node.get("user_id").asText(), node.get("user_segment").asText());
        }
        long copies = 0;
        Instant max = Instant.MIN;
        for (GeneratedRecord record : clicks) {
            if (record.flaw() == Flaw.BROKEN_JSON) {
                quarantinedByReason.merge(Pipeline.REASON_NOT_JSON, 1L, Long::sum);
            } else if (record.flaw() == Flaw.WRONG_TYPE) {
                quarantinedByReason.merge(Pipeline.REASON_WRONG_TYPE, 1L, Long::sum);
            } else {
                JsonNode node = read(record.json());
                Click click = new Click(
                        node.get("event_id").asText(),
                        node.get("user_id").asText(),
                        node.get("page_category").asText(),
                        node.get("event_type").asText(),
                        node.get("time_on_page").asDouble(),
                        Instant.parse(node.get("event_time").asText()));
                if (silverById.putIfAbsent(click.eventId(), click) != null) {
                    copies++;
                }
                if (click.eventTime().isAfter(max)) {
                    max = click.eventTime();
                }
            }
        }
        duplicateCopies = copies;
        maxEventTime = max;
        finalWatermark = max.minus(watermarkDelay);
    }

    String segmentOf(String userId) {
        return segmentOfUser.getOrDefault(userId, Pipeline.UNKNOWN_SEGMENT);
    }

    long unknownUserClicks() {
        return silverById.values().stream()
                .filter(click -> !segmentOfUser.containsKey(click.userId()))
                .count();
    }

    long quarantined() {
        return quarantinedByReason.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The gold rows of tumbling windows of {@code size} whose end the final watermark has reached. */
    Map<GoldKey, GoldFigures> gold(Duration size) {
        Map<GoldKey, List<Click>> groups = new TreeMap<>(java.util.Comparator.comparing(GoldKey::windowStart)
                .thenComparing(GoldKey::category)
                .thenComparing(GoldKey::segment));
        long sizeMillis = size.toMillis();
        for (Click click : silverById.values()) {
            long start = Math.floorDiv(click.eventTime().toEpochMilli(), sizeMillis) * sizeMillis;
            Instant windowStart = Instant.ofEpochMilli(start);
            Instant windowEnd = windowStart.plus(size);
            if (windowEnd.isAfter(finalWatermark)) {
                continue; // still open: append mode has not written it yet
            }
            groups.computeIfAbsent(
                            new GoldKey(windowStart, windowEnd, click.category(), segmentOf(click.userId())),
                            key -> new java.util.ArrayList<>())
                    .add(click);
        }
        Map<GoldKey, GoldFigures> gold = new LinkedHashMap<>();
        groups.forEach((key, group) -> {
            Set<String> users = new HashSet<>();
            long pageViews = 0;
            double time = 0;
            for (Click click : group) {
                users.add(click.userId());
                pageViews += click.type().equals("page_view") ? 1 : 0;
                time += click.timeOnPage();
            }
            gold.put(key, new GoldFigures(group.size(), pageViews, users.size(), time / group.size()));
        });
        return gold;
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + json, e);
        }
    }
}
