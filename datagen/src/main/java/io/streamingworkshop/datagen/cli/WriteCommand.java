package io.streamingworkshop.datagen.cli;

import io.streamingworkshop.datagen.Datagen;
import io.streamingworkshop.datagen.DatasetKind;
import io.streamingworkshop.datagen.GeneratorOptions;
import io.streamingworkshop.datagen.Pacing;
import java.lang.reflect.Field;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What {@code files} and {@code kafka} share: the options that say what to generate, the flaws,
 * the pacing, and the order in which a command line is checked (the dataset, then the options
 * that do not apply to it, then every value, by the library) before anything is written.
 */
abstract class WriteCommand implements Callable<Integer> {

    final Terminal terminal;

    @Spec
    CommandSpec spec;

    @Mixin
    WhatToGenerate what = new WhatToGenerate();

    @Mixin
    Flaws flaws = new Flaws();

    @Mixin
    PacingAndHelp pacing = new PacingAndHelp();

    @HelpSection("Pacing and help")
    static final class PacingAndHelp {
        @Option(
                names = "--events-per-second",
                paramLabel = "R",
                order = 40,
                description = "pace: at most R records per wall-clock second [as fast as possible]")
        Double eventsPerSecond;

        @Option(
                names = {"-h", "--help"},
                usageHelp = true,
                order = 41,
                description = "this help")
        boolean help;
    }

    WriteCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        DatasetKind dataset = DatasetKind.fromName(required("--dataset"));
        refuseOptionsThatDoNotApplyTo(dataset);
        GeneratorOptions.Builder options = what.builder(dataset);
        flaws.applyTo(options);
        Datagen datagen = Datagen.of(options);
        if (pacing.eventsPerSecond != null) {
            datagen.pacing(Pacing.eventsPerSecond(pacing.eventsPerSecond));
        }
        datagen.options(); // every generator option checked before anything is written
        return write(datagen, dataset);
    }

    /** Sets the command's own output options on {@code datagen}, runs it and prints the summary. */
    abstract int write(Datagen datagen, DatasetKind dataset);

    private void refuseOptionsThatDoNotApplyTo(DatasetKind dataset) {
        for (OptionSpec option : spec.commandLine().getParseResult().matchedOptions()) {
            OnlyFor onlyFor = option.userObject() instanceof Field
                    ? ((Field) option.userObject()).getAnnotation(OnlyFor.class)
                    : null;
            if (onlyFor != null && !onlyFor.value().includes(dataset)) {
                throw new UsageException(
                        option.longestName() + " does not apply to the " + dataset.cliName() + " dataset"
                                + (dataset.isDimension() ? " (a dimension table has no events, times or flaws)" : ""));
            }
        }
    }

    /** The value of a text option that must be given, and not blank. */
    String required(String name) {
        String value = ifGiven(name);
        if (value == null) {
            throw new UsageException(needs(name));
        }
        return value;
    }

    /** The value of a text option, or null if it was not given; given blank, it is refused. */
    String ifGiven(String name) {
        String value = spec.findOption(name).getValue();
        if (value != null && value.isBlank()) {
            throw new UsageException(needs(name));
        }
        return value;
    }

    private String needs(String name) {
        return "The " + spec.name() + " command needs " + name + " "
                + spec.findOption(name).paramLabel() + " (see " + spec.name() + " --help)";
    }
}
