package dev.refinery.cli;

/**
 * A CLI command that is not a stage ({@code extract}, {@code langid}, {@code serve}, {@code report},
 * {@code train}, ...). Modules register theirs in {@code META-INF/services/dev.refinery.cli.Command}.
 */
public interface Command {
  String name();

  /** One line for {@code --help}. */
  String summary();

  /** Usage text printed for {@code refinery NAME --help}. */
  default String usage() {
    return "refinery " + name() + " [--conf FILE]... [--set key=value]...";
  }

  /** Runs the command; returns the process exit status. */
  int run(CommandLine cli) throws Exception;
}
