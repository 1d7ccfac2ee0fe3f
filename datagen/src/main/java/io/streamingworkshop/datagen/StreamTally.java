package io.streamingworkshop.datagen;

/** Counts what one stream actually wrote, record by record: the numbers of its manifest. */
final class StreamTally {

    final RecordType type;
    long records;
    long duplicates;
    long late;
    long outOfOrder;
    long brokenJson;
    long wrongType;
    long schemaChanged;
    long firstEventMillis = Long.MAX_VALUE;
    long lastEventMillis = Long.MIN_VALUE;
    long schemaChangeFromMillis = Long.MAX_VALUE;

    StreamTally(RecordType type) {
        this.type = type;
    }

    void add(GeneratedRecord record) {
        records++;
        switch (record.flaw()) {
            case DUPLICATE:
                duplicates++;
                return; // a copy: its event is counted once, with its original
            case LATE:
                late++;
                break;
            case OUT_OF_ORDER:
                outOfOrder++;
                break;
            case BROKEN_JSON:
                brokenJson++;
                break;
            case WRONG_TYPE:
                wrongType++;
                break;
            default:
                break;
        }
        if (type.isDimension()) {
            return;
        }
        long time = record.eventTimeMillis();
        firstEventMillis = Math.min(firstEventMillis, time);
        lastEventMillis = Math.max(lastEventMillis, time);
        if (record.schemaChanged()) {
            schemaChanged++;
            schemaChangeFromMillis = Math.min(schemaChangeFromMillis, time);
        }
    }

    long events() {
        return records - duplicates;
    }
}
