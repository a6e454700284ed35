package dev.refinery.cli;

import dev.refinery.core.stage.Stage;
import java.util.List;

/** Runs one registered stage: {@code refinery <stage> --conf FILE [--set k=v]}. */
final class StageCommand implements Command {
  private final Stage stage;

  StageCommand(Stage stage) {
    this.stage = stage;
  }

  @Override
  public String name() {
    return stage.name();
  }

  @Override
  public String summary() {
    return "stage: " + stage.description();
  }

  @Override
  public int run(CommandLine cli) {
    RunCommand.execute(cli.config(), List.of(stage), System.out, cli.args().contains("--summary"), null);
    return 0;
  }
}
