package io.streamingworkshop.pipeline.app;

/** A command line the application cannot run with: reported in one line, exit code 2. */
final class UsageException extends RuntimeException {

    UsageException(String message) {
        super(message);
    }
}
