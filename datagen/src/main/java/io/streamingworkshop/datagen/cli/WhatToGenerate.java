package io.streamingworkshop.datagen.cli;

import io.streamingworkshop.datagen.DatasetKind;
import io.streamingworkshop.datagen.GeneratorOptions;
import io.streamingworkshop.datagen.cli.OnlyFor.Datasets;
import java.time.Duration;
import java.time.Instant;
import picocli.CommandLine.Option;

/**
 * The options that say what to generate, for both commands. A field left null was not given, so
 * the library's default applies: defaults live in {@link GeneratorOptions} alone (the texts here
 * only show them).
 */
@HelpSection("What to generate")
final class WhatToGenerate {

    @Option(
            names = "--dataset",
            paramLabel = "NAME",
            order = 1,
            description = "which dataset: iot, clickstream, orders, transactions, users, products (required)")
    String dataset;

    @OnlyFor(Datasets.WITH_EVENTS)
    @Option(
            names = "--events",
            paramLabel = "N",
            order = 2,
            description = "how many events (orders: how many orders) [1000]")
    Long events;

    @OnlyFor(Datasets.WITH_EVENTS)
    @Option(
            names = "--seed",
            paramLabel = "N",
            order = 3,
            description = "the same seed and options give the same bytes [42]")
    Long seed;

    @OnlyFor(Datasets.WITH_EVENTS)
    @Option(
            names = "--start",
            paramLabel = "TIME",
            order = 4,
            description = "event time of the first event (ISO-8601, UTC) [2024-05-01T10:00:00Z]")
    Instant start;

    @OnlyFor(Datasets.WITH_EVENTS)
    @Option(
            names = "--rate",
            paramLabel = "N",
            order = 5,
            description = "events per simulated second of event time [10]")
    Double rate;

    @OnlyFor(Datasets.IOT)
    @Option(names = "--devices", paramLabel = "N", order = 6, description = "iot: number of devices [20]")
    Long devices;

    @OnlyFor(Datasets.WITH_USERS)
    @Option(
            names = "--users",
            paramLabel = "N",
            order = 7,
            description = "users the events pick from; the users dimension's size [200]")
    Long users;

    @OnlyFor(Datasets.WITH_PRODUCTS)
    @Option(
            names = "--products",
            paramLabel = "N",
            order = 8,
            description = "products the events pick from; the catalog's size [50]")
    Long products;

    @OnlyFor(Datasets.ORDERS)
    @Option(
            names = "--unshipped-fraction",
            paramLabel = "F",
            order = 9,
            description = "orders: fraction of orders that never ship [0.1]")
    Double unshippedFraction;

    @OnlyFor(Datasets.ORDERS)
    @Option(
            names = "--max-ship-delay",
            paramLabel = "DURATION",
            order = 10,
            description = "orders: a shipment follows its order by less than this [30m]")
    Duration maxShipDelay;

    /** The given options on a builder for {@code kind}, the dataset {@link #dataset} names. */
    GeneratorOptions.Builder builder(DatasetKind kind) {
        GeneratorOptions.Builder builder = GeneratorOptions.builder(kind);
        if (events != null) {
            builder.events(events);
        }
        if (seed != null) {
            builder.seed(seed);
        }
        if (start != null) {
            builder.start(start);
        }
        if (rate != null) {
            builder.rate(rate);
        }
        if (devices != null) {
            builder.devices(devices);
        }
        if (users != null) {
            builder.users(users);
        }
        if (products != null) {
            builder.products(products);
        }
        if (unshippedFraction != null) {
            builder.unshipped(unshippedFraction);
        }
        if (maxShipDelay != null) {
            builder.maxShipDelay(maxShipDelay);
        }
        return builder;
    }
}
