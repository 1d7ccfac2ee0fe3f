package io.streamingworkshop.datagen;

/**
 * A run could not do what was asked (a directory it cannot write, a broker that does not answer).
 * The message is one line that says what and, where it can, what to do about it.
 */
public class DatagenException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public DatagenException(String message) {
        super(message);
    }

    public DatagenException(String message, Throwable cause) {
        super(message, cause);
    }
}
