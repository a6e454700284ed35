package dev.refinery.core;

/**
 * An error the user can fix (bad configuration, missing input, unwritable warehouse). The CLI prints its
 * message alone, without a stack trace, and exits with status 2.
 */
public class RefineryException extends RuntimeException {
  public RefineryException(String message) {
    super(message);
  }

  public RefineryException(String message, Throwable cause) {
    super(message, cause);
  }
}
