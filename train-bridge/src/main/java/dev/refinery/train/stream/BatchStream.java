package dev.refinery.train.stream;

import java.io.Closeable;
import java.io.IOException;

/**
 * One rank's deterministic stream of batches: a stream restarted at a saved {@link #position} yields exactly
 * the batches an uninterrupted one yields from there, which is what exact resume needs.
 */
public interface BatchStream<B> extends Closeable {
  B next() throws IOException;

  /** The position of the batch {@link #next} returns. */
  StreamPosition position();

  @Override
  default void close() throws IOException {}
}
