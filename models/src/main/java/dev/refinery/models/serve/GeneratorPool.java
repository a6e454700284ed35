package dev.refinery.models.serve;

import dev.refinery.models.generation.Generator;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Function;

/**
 * Generator instances over one model's weights, lent one per generation, so that concurrent requests
 * generate in parallel (a {@link Generator} runs one batch at a time). Inference only reads the weights and
 * every generation has its own arrays and key/value cache, so the instances share the weights safely.
 */
public final class GeneratorPool {
  private final BlockingQueue<Generator> idle;

  private GeneratorPool(Generator first, int size) {
    if (size < 1) {
      throw new IllegalArgumentException("a generator pool needs at least one generator, got " + size);
    }
    this.idle = new ArrayBlockingQueue<>(size);
    idle.add(first);
    for (int i = 1; i < size; i++) {
      idle.add(new Generator(first.model(), first.tokenizer()));
    }
  }

  /** {@code size} generators sharing {@code generator}'s model and tokenizer. */
  public static GeneratorPool of(Generator generator, int size) {
    return new GeneratorPool(generator, size);
  }

  /** Runs {@code work} with a generator of its own, waiting while all are busy. */
  public <T> T with(Function<Generator, T> work) {
    Generator g;
    try {
      g = idle.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a free generator", e);
    }
    try {
      return work.apply(g);
    } finally {
      idle.add(g);
    }
  }
}
