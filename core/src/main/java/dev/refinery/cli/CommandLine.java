package dev.refinery.cli;

import dev.refinery.core.RefineryException;
import dev.refinery.core.config.RefineryConfig;
import java.io.File;
import java.util.ArrayList;
import java.util.List;

/**
 * Parsed arguments: the command name, global options ({@code --conf FILE}, {@code --set key=value},
 * {@code --help}) wherever they appear, and the remaining (command-specific) arguments in order.
 */
public final class CommandLine {
  private final String command;
  private final List<String> confFiles = new ArrayList<>();
  private final List<String> overrides = new ArrayList<>();
  private final List<String> args = new ArrayList<>();
  private boolean help;
  private RefineryConfig config;

  private CommandLine(String command) {
    this.command = command;
  }

  public static CommandLine parse(String[] argv) {
    CommandLine cl = new CommandLine(argv.length == 0 ? null : argv[0]);
    for (int i = 1; i < argv.length; i++) {
      String a = argv[i];
      if (a.equals("--conf") || a.equals("--set")) {
        if (i + 1 >= argv.length) {
          throw new RefineryException(a + " needs a value");
        }
        (a.equals("--conf") ? cl.confFiles : cl.overrides).add(argv[++i]);
      } else if (a.startsWith("--conf=")) {
        cl.confFiles.add(a.substring("--conf=".length()));
      } else if (a.startsWith("--set=")) {
        cl.overrides.add(a.substring("--set=".length()));
      } else if (a.equals("--help") || a.equals("-h")) {
        cl.help = true;
      } else {
        cl.args.add(a);
      }
    }
    if ("--help".equals(cl.command) || "-h".equals(cl.command) || "help".equals(cl.command)) {
      return new CommandLine(null);
    }
    return cl;
  }

  public String command() {
    return command;
  }

  public List<String> args() {
    return args;
  }

  public boolean help() {
    return help;
  }

  /** Adds a configuration file before the user's own (used by {@code demo}). */
  public void prependConf(String file) {
    confFiles.add(0, file);
  }

  /** The layered configuration (loaded once, validated). */
  public RefineryConfig config() {
    if (config == null) {
      config = RefineryConfig.load(confFiles, overrides);
    }
    return config;
  }

  /** A file under the project home ({@code REFINERY_HOME}, set by bin/refinery), or relative to cwd. */
  public static File home(String relative) {
    String home = System.getenv("REFINERY_HOME");
    if (home == null) {
      home = System.getProperty("refinery.home", ".");
    }
    return new File(home, relative);
  }
}
