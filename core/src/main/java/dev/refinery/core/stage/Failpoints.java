package dev.refinery.core.stage;

import dev.refinery.core.config.RefineryConfig;
import org.apache.spark.TaskContext;

/**
 * Configurable fault injection for reliability tests: {@code --set failpoints."ingest.start"=throw}.
 * Points the pipeline offers for every stage: {@code <stage>.start} (before it runs),
 * {@code <stage>.write.<table>} (before each table write, i.e. midway for stages that write several tables),
 * {@code <stage>.commit} (after its writes, before stage_stats). Actions: {@code throw} (an exception),
 * {@code exit} (halts the JVM at once, like kill -9: no shutdown hooks, no cleanup), {@code task-once}
 * (inside a Spark task: fails the first attempt only, so Spark's task retry must recover).
 */
public final class Failpoints {
  private Failpoints() {}

  /** Triggers the action configured for {@code point}, if any. */
  public static void at(RefineryConfig config, String point) {
    String key = "failpoints.\"" + point + "\"";
    if (!config.has(key)) {
      return;
    }
    String action = config.getString(key);
    switch (action) {
      case "throw" -> throw new InjectedFault(point);
      case "exit" -> {
        System.err.println("refinery: failpoint " + point + ": halting the JVM");
        System.err.flush();
        Runtime.getRuntime().halt(137);
      }
      case "task-once" -> {
        TaskContext task = TaskContext.get();
        if (task != null && task.attemptNumber() == 0) {
          throw new InjectedFault(point + " (task attempt 0)");
        }
      }
      case "off", "" -> { }
      default -> throw new dev.refinery.core.RefineryException("failpoints.\"" + point + "\" = " + action
          + ": expected throw, exit, task-once or off");
    }
  }

  /** The exception a {@code throw} failpoint raises. */
  public static final class InjectedFault extends RuntimeException {
    InjectedFault(String point) {
      super("injected fault at failpoint " + point);
    }
  }
}
