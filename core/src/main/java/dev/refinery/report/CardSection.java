package dev.refinery.report;

import dev.refinery.core.warehouse.Warehouse;

/**
 * One section of the data card, contributed by the module that owns its table. Modules register theirs in
 * {@code META-INF/services/dev.refinery.report.CardSection} (as stages are registered), so core names no
 * other module's tables. The card shows a section when its table exists, in the data-flow order of the
 * stages that write the tables.
 */
public interface CardSection {
  /** The table (or view) behind the section, as the constant beside its schema. */
  String table();

  /** The section for one run; called only when {@link #table()} exists in the warehouse. */
  DataCard.Section build(Warehouse warehouse, String runId);
}
