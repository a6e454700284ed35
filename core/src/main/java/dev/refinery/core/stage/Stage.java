package dev.refinery.core.stage;

import dev.refinery.core.config.RefineryConfig;
import java.util.Set;

/**
 * One step of the pipeline (ingest, quality, dedup, ...). Modules register their stages in
 * {@code META-INF/services/dev.refinery.core.stage.Stage}; the CLI finds them with {@link java.util.ServiceLoader},
 * so core imports no stage and a user's own stage in another jar plugs in the same way.
 *
 * <p>A stage declares the tables it reads and writes; {@link Pipeline} derives the run order and the
 * "is the input there, or does an earlier stage write it?" check from those declarations alone.
 */
public interface Stage {
  /** The CLI name, e.g. {@code ingest}. */
  String name();

  /** One line for {@code --help}. */
  String description();

  /**
   * The warehouse tables and views this stage reads under {@code config} (names as the constants beside
   * their schemas). A table the stage also writes itself (its own earlier runs) does not order it.
   */
  Set<String> inputs(RefineryConfig config);

  /**
   * The tables and views this stage writes under {@code config}; {@code rejects} and {@code stage_stats},
   * which every stage writes, are not listed.
   */
  Set<String> outputs(RefineryConfig config);

  /**
   * Checks configuration and inputs before any stage of the run writes anything; throws
   * {@link dev.refinery.core.RefineryException} with a message that says what to change. The pipeline has
   * already checked that every table of {@link #inputs} exists or is written by an earlier stage of the run.
   */
  default void validate(StageContext ctx) {}

  /** Does the work: reads its input tables, writes its output tables (idempotently, by run id). */
  StageResult run(StageContext ctx);
}
