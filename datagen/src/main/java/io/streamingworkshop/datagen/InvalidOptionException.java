package io.streamingworkshop.datagen;

/**
 * A value an option cannot take, found by the one check there is for it (in
 * {@link GeneratorOptions}, {@link Datagen} or {@link Pacing}). The library and the command line
 * name the option differently ({@code late fraction}, {@code --late-fraction}), so the check words
 * the problem for both readers at once.
 */
public final class InvalidOptionException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String commandLineMessage;

    InvalidOptionException(String message, String commandLineMessage) {
        super(message);
        this.commandLineMessage = commandLineMessage;
    }

    /** The problem as the command line says it, e.g. {@code --late-fraction must be a fraction between 0 and 1 ...}. */
    public String commandLineMessage() {
        return commandLineMessage;
    }
}
