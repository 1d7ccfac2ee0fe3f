package io.streamingworkshop.datagen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamingworkshop.testkit.WorkDir;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Each flaw comes in the exact number its fraction says (round(fraction x events)), is spread
 * over the whole run (each tenth of the run holds between half and one and a half times its
 * share), does what its name says, and agrees with the manifest.
 */
class FlawsTest {

    static final int EVENTS = 20_000;

    /** Tenths of the run (by event id) each holding between 0.5x and 1.5x of a tenth of {@code flawed}. */
    static void spreadOverTheRun(List<GeneratedRecord> flawed, long expected) {
        int[] perTenth = new int[10];
        for (GeneratedRecord r : flawed) {
            long number = Long.parseLong(r.id().replaceAll("\\D", ""));
            perTenth[(int) ((number - 1) * 10 / EVENTS)]++;
        }
        for (int tenth = 0; tenth < 10; tenth++) {
            assertThat(perTenth[tenth])
                    .as("flawed records in tenth %d of the run", tenth)
                    .isBetween((int) (expected / 10 * 0.5), (int) (expected / 10 * 1.5));
        }
    }

    static List<GeneratedRecord> withFlaw(List<GeneratedRecord> records, Flaw flaw) {
        return records.stream().filter(r -> r.flaw() == flaw).collect(Collectors.toList());
    }

    static Manifest manifestOf(Datagen datagen) {
        return datagen.toFiles(WorkDir.named("flaws-" + System.nanoTime()).dir("out"))
                .manifest();
    }

    @Test
    void lateEventsArriveExactlyLateByAfterTheirEventTimeBehindLaterEvents() {
        Duration lateBy = Duration.ofMinutes(10);
        Datagen datagen = Datagen.iot().events(EVENTS).late(0.05, lateBy);
        List<GeneratedRecord> records = datagen.records();
        List<GeneratedRecord> late = withFlaw(records, Flaw.LATE);

        assertThat(late).hasSize(1_000);
        assertThat(manifestOf(datagen).late()).isEqualTo(1_000);
        spreadOverTheRun(late, 1_000);
        Instant newestSeen = Instant.MIN;
        for (GeneratedRecord r : records) {
            if (r.flaw() == Flaw.LATE) {
                assertThat(Duration.between(r.eventTime(), r.arrivalTime())).isEqualTo(lateBy);
                // Events almost 10 minutes newer came before it: it arrives just before the event at
                // exactly +10 minutes, after the newest on-time event (a few just before may be late too).
                // At the end of the run the clock stops: the last late events arrive after the last event.
                Instant endOfRun = GeneratorOptions.DEFAULT_START.plusMillis((EVENTS - 1) * 100L);
                Duration behind = Duration.between(r.eventTime(), newestSeen);
                assertThat(behind)
                        .isGreaterThan(
                                r.arrivalTime().isAfter(endOfRun)
                                        ? Duration.between(r.eventTime(), endOfRun)
                                                .minusSeconds(5)
                                        : lateBy.minusSeconds(5));
            } else {
                assertThat(r.arrivalTime()).isEqualTo(r.eventTime());
            }
            if (r.eventTime().isAfter(newestSeen)) {
                newestSeen = r.eventTime();
            }
        }
    }

    @Test
    void outOfOrderEventsAreOvertakenButNeverByMoreThanOutOfOrderBy() {
        Duration upTo = Duration.ofSeconds(30);
        Datagen datagen = Datagen.transactions().events(EVENTS).outOfOrder(0.1, upTo);
        List<GeneratedRecord> records = datagen.records();
        List<GeneratedRecord> held = withFlaw(records, Flaw.OUT_OF_ORDER);

        assertThat(held).hasSize(2_000);
        assertThat(manifestOf(datagen).outOfOrder()).isEqualTo(2_000);
        spreadOverTheRun(held, 2_000);
        Instant newestSeen = Instant.MIN;
        int overtaken = 0;
        for (GeneratedRecord r : records) {
            if (r.flaw() == Flaw.OUT_OF_ORDER) {
                Duration delay = Duration.between(r.eventTime(), r.arrivalTime());
                assertThat(delay).isGreaterThan(Duration.ofMillis(100)).isLessThanOrEqualTo(upTo);
                if (newestSeen.isAfter(r.eventTime())) {
                    overtaken++;
                }
            }
            // The disorder is bounded: a watermark of 30 s would drop none of these events.
            assertThat(Duration.between(r.eventTime(), newestSeen)).isLessThanOrEqualTo(upTo);
            if (r.eventTime().isAfter(newestSeen)) {
                newestSeen = r.eventTime();
            }
        }
        assertThat(overtaken).isEqualTo(2_000);
    }

    @Test
    void duplicatesAreExactCopiesOfAnEarlierRecordArrivingWithinDuplicateWithin() {
        Duration within = Duration.ofSeconds(20);
        Datagen datagen = Datagen.clickstream().events(EVENTS).duplicates(0.03, within);
        List<GeneratedRecord> records = datagen.records();
        Map<String, GeneratedRecord> firstById = new HashMap<>();
        int duplicates = 0;
        for (GeneratedRecord r : records) {
            GeneratedRecord original = firstById.putIfAbsent(r.id(), r);
            if (original == null) {
                assertThat(r.flaw()).isNotEqualTo(Flaw.DUPLICATE);
                continue;
            }
            duplicates++;
            assertThat(r.flaw()).isEqualTo(Flaw.DUPLICATE);
            assertThat(r.json()).isEqualTo(original.json());
            assertThat(Duration.between(original.arrivalTime(), r.arrivalTime()))
                    .isBetween(Duration.ZERO, within);
        }
        assertThat(duplicates).isEqualTo(600);
        assertThat(firstById).hasSize(EVENTS);
        Manifest manifest = manifestOf(datagen);
        assertThat(manifest.duplicates()).isEqualTo(600);
        assertThat(manifest.records()).isEqualTo(EVENTS + 600);
        assertThat(manifest.events()).isEqualTo(EVENTS);
        spreadOverTheRun(withFlaw(records, Flaw.DUPLICATE), 600);
    }

    @Test
    void malformedRecordsAreHalfBrokenJsonAndHalfAStringWhereANumberBelongs() {
        Datagen datagen = Datagen.iot().events(EVENTS).malformed(0.02);
        List<GeneratedRecord> records = datagen.records();
        int broken = 0;
        int wrongType = 0;
        for (GeneratedRecord r : records) {
            JsonNode json = DataFiles.parse(r.json());
            switch (r.flaw()) {
                case BROKEN_JSON:
                    broken++;
                    assertThat(json).as("broken JSON parses: %s", r.json()).isNull();
                    assertThat(r.json()).startsWith("{\"event_id\":\"" + r.id() + "\",");
                    break;
                case WRONG_TYPE:
                    wrongType++;
                    assertThat(json).isNotNull();
                    assertThat(json.get("temperature").isTextual()).isTrue();
                    assertThat(json.get("temperature").asText()).matches("-?\\d+\\.\\d C");
                    break;
                default:
                    assertThat(json).as(r.json()).isNotNull();
                    assertThat(json.get("temperature").isNumber()).isTrue();
            }
        }
        assertThat(broken).isEqualTo(200);
        assertThat(wrongType).isEqualTo(200);
        Manifest manifest = manifestOf(datagen);
        assertThat(manifest.brokenJson()).isEqualTo(200);
        assertThat(manifest.wrongType()).isEqualTo(200);
        assertThat(manifest.validEvents()).isEqualTo(EVENTS - 400);
        spreadOverTheRun(records.stream().filter(r -> r.flaw().isMalformed()).collect(Collectors.toList()), 400);
    }

    @Test
    void aSchemaChangeAddsItsFieldToExactlyTheLastEvents() {
        Datagen datagen = Datagen.iot().events(EVENTS).schemaChange(0.25);
        List<GeneratedRecord> records = datagen.records();
        for (GeneratedRecord r : records) {
            long number = Long.parseLong(r.id().substring("iot-".length()));
            boolean changed = number > EVENTS * 3 / 4;
            assertThat(r.schemaChanged()).isEqualTo(changed);
            assertThat(DataFiles.parse(r.json()).has("battery_pct"))
                    .as(r.json())
                    .isEqualTo(changed);
        }
        Manifest manifest = manifestOf(datagen);
        assertThat(manifest.schemaChanged()).isEqualTo(5_000);
        assertThat(manifest.addedField()).isEqualTo("battery_pct");
        assertThat(manifest.schemaChangeFrom()).isEqualTo(records.get(15_000).eventTime());
    }

    @Test
    void everyFlawAtOnceGivesDisjointExactCounts() {
        List<GeneratedRecord> records = Datagen.transactions()
                .events(EVENTS)
                .late(0.05, Duration.ofMinutes(10))
                .outOfOrder(0.05, Duration.ofSeconds(30))
                .duplicates(0.05, Duration.ofSeconds(10))
                .malformed(0.05)
                .records();
        Map<Flaw, Long> counts =
                records.stream().collect(Collectors.groupingBy(GeneratedRecord::flaw, Collectors.counting()));
        assertThat(counts)
                .containsEntry(Flaw.LATE, 1_000L)
                .containsEntry(Flaw.OUT_OF_ORDER, 1_000L)
                .containsEntry(Flaw.DUPLICATE, 1_000L)
                .containsEntry(Flaw.BROKEN_JSON, 500L)
                .containsEntry(Flaw.WRONG_TYPE, 500L)
                .containsEntry(Flaw.NONE, 17_000L);
        // A duplicate copies a record that carries no other flaw.
        Set<String> duplicated = withFlaw(records, Flaw.DUPLICATE).stream()
                .map(GeneratedRecord::id)
                .collect(Collectors.toSet());
        assertThat(records.stream().filter(r -> duplicated.contains(r.id()) && r.flaw() != Flaw.DUPLICATE))
                .allMatch(r -> r.flaw() == Flaw.NONE);
    }

    @Test
    void flawFractionsThatAddUpToMoreThanOneAreRefused() {
        assertThatThrownBy(() -> Datagen.iot()
                        .late(0.6, Duration.ofMinutes(1))
                        .malformed(0.6)
                        .records())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("add up to 1.2");
        assertThatThrownBy(() -> Datagen.iot().malformed(1.5).records())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("malformed fraction must be between 0 and 1, got 1.5");
        assertThatThrownBy(
                        () -> Datagen.users().late(0.1, Duration.ofMinutes(1)).records())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dimension table");
    }

    @Test
    void everyShippedOrderShipsOnceWithinMaxShipDelayAndTheRestNever() {
        Duration maxDelay = Duration.ofMinutes(20);
        List<GeneratedRecord> records = Datagen.orders()
                .events(EVENTS)
                .unshipped(0.1)
                .maxShipDelay(maxDelay)
                .records();
        Map<String, Instant> orderTimes = new HashMap<>();
        records.stream().filter(r -> r.type() == RecordType.ORDER).forEach(r -> orderTimes.put(r.id(), r.eventTime()));
        List<GeneratedRecord> shipments =
                records.stream().filter(r -> r.type() == RecordType.SHIPMENT).collect(Collectors.toList());

        assertThat(orderTimes).hasSize(EVENTS);
        assertThat(shipments).hasSize(EVENTS - 2_000);
        Set<String> shipped = new HashSet<>();
        Instant previous = Instant.MIN;
        for (GeneratedRecord shipment : shipments) {
            JsonNode json = DataFiles.parse(shipment.json());
            String orderId = json.get("shipment_order_id").asText();
            assertThat(shipped.add(orderId)).as("shipped twice: %s", orderId).isTrue();
            assertThat(shipment.key()).isEqualTo(orderId);
            Duration delay = Duration.between(orderTimes.get(orderId), shipment.eventTime());
            assertThat(delay).isPositive().isLessThan(maxDelay);
            assertThat(shipment.eventTime()).isAfterOrEqualTo(previous); // numbered and sent in ship order
            previous = shipment.eventTime();
        }
    }

    @Test
    void eventsUseTheIdsAndAttributesOfTheDimensions() {
        Map<String, JsonNode> users = byId(Datagen.users().userCount(120).records(), "user_id");
        Map<String, JsonNode> products =
                byId(Datagen.products().productCount(30).records(), "product_id");
        List<JsonNode> transactions = parsed(Datagen.transactions()
                .userCount(120)
                .productCount(30)
                .events(5_000)
                .records());
        for (JsonNode t : transactions) {
            JsonNode user = users.get(t.get("user_id").asText());
            JsonNode product = products.get(t.get("product_id").asText());
            assertThat(user).as("user of %s", t).isNotNull();
            assertThat(product).as("product of %s", t).isNotNull();
            assertThat(t.get("region").asText()).isEqualTo(user.get("region").asText());
            assertThat(t.get("category").asText())
                    .isEqualTo(product.get("category").asText());
        }
        for (JsonNode click : parsed(Datagen.clickstream()
                .userCount(120)
                .productCount(30)
                .events(5_000)
                .records())) {
            assertThat(users).containsKey(click.get("user_id").asText());
            String page = click.get("page").asText();
            if (page.startsWith("/products/")) {
                assertThat(products).containsKey(page.substring("/products/".length()));
            }
        }
        for (JsonNode order : parsed(
                Datagen.orders().userCount(120).productCount(30).events(2_000).records(RecordType.ORDER))) {
            assertThat(users).containsKey(order.get("user_id").asText());
            assertThat(products).containsKey(order.get("product_id").asText());
        }
    }

    @Test
    void clicksComeInSessionsSeparatedByIdleGaps() {
        Map<String, GeneratedRecord> lastClickOfUser = new HashMap<>();
        List<Long> withinSession = new ArrayList<>();
        List<Long> betweenSessions = new ArrayList<>();
        Set<String> sessions = new HashSet<>();
        for (GeneratedRecord click : Datagen.clickstream().events(EVENTS).records()) {
            String session = DataFiles.parse(click.json()).get("session_id").asText();
            sessions.add(session);
            GeneratedRecord previous = lastClickOfUser.put(click.key(), click);
            if (previous != null) {
                long gapMillis = Duration.between(previous.eventTime(), click.eventTime())
                        .toMillis();
                boolean sameSession = DataFiles.parse(previous.json())
                        .get("session_id")
                        .asText()
                        .equals(session);
                (sameSession ? withinSession : betweenSessions).add(gapMillis);
            }
        }
        // At the defaults (200 users, rate 10): 10 sessions open at once, 6.5 clicks each on average.
        assertThat(sessions.size()).isBetween(EVENTS / 8, EVENTS / 5);
        assertThat(withinSession).allMatch(gap -> gap < 30_000);
        assertThat(median(withinSession)).isLessThan(2_000L);
        assertThat(median(betweenSessions)).isGreaterThan(30_000L);
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().collect(Collectors.toList());
        return sorted.get(sorted.size() / 2);
    }

    private static Map<String, JsonNode> byId(List<GeneratedRecord> records, String idField) {
        return parsed(records).stream()
                .collect(Collectors.toMap(j -> j.get(idField).asText(), j -> j));
    }

    private static List<JsonNode> parsed(List<GeneratedRecord> records) {
        return records.stream().map(r -> DataFiles.parse(r.json())).collect(Collectors.toList());
    }
}
