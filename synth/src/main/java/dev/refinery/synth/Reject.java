package dev.refinery.synth;

import dev.refinery.core.warehouse.Rejects;

/** One row for the {@code rejects} table: what synth dropped, made by which generator, and why. */
public record Reject(String id, String source, String reason, String excerpt) {
  public static Reject of(Instruction i, String reason, String text) {
    return new Reject(i.id(), "synth:" + i.generator(), reason, Rejects.excerpt(text));
  }
}
