package io.streamingworkshop.datagen.cli;

import java.io.PrintStream;

/** Where a run of the command line prints: results to {@code out}, progress and errors to {@code err}. */
record Terminal(PrintStream out, PrintStream err) {}
