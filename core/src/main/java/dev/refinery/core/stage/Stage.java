package dev.refinery.core.stage;

/**
 * One step of the pipeline (ingest, quality, dedup, ...). Modules register their stages in
 * {@code META-INF/services/dev.refinery.core.stage.Stage}; the CLI finds them with {@link java.util.ServiceLoader},
 * so core imports no stage and a user's own stage in another jar plugs in the same way.
 */
public interface Stage {
  /** The CLI name, e.g. {@code ingest}. */
  String name();

  /** One line for {@code --help}. */
  String description();

  /** Position in a full run; stages run in ascending order (ingest 100, quality 200, dedup 300, ...). */
  int order();

  /**
   * Checks configuration and inputs before any stage of the run writes anything; throws
   * {@link dev.refinery.core.RefineryException} with a message that says what to change. {@code upstream}
   * names the stages that run before this one in the same invocation (their outputs do not exist yet).
   */
  default void validate(StageContext ctx, java.util.Set<String> upstream) {}

  /** Does the work: reads its input tables, writes its output tables (idempotently, by run id). */
  StageResult run(StageContext ctx);
}
