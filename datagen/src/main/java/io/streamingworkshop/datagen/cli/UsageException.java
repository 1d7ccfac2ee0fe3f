package io.streamingworkshop.datagen.cli;

/** The command line asks for something that cannot be: an unknown option, a value out of range. */
final class UsageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
