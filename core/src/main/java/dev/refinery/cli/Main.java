package dev.refinery.cli;

import dev.refinery.core.RefineryException;
import dev.refinery.core.stage.Pipeline;
import dev.refinery.core.stage.Stage;
import java.io.PrintStream;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * {@code refinery <command> [--conf FILE]... [--set key=value]... [args]}: the one entry point, locally
 * through bin/refinery and on a cluster through {@code spark-submit --class dev.refinery.cli.Main}.
 */
public final class Main {
  private Main() {}

  public static void main(String[] argv) {
    int status = run(argv, System.out, System.err);
    System.exit(status);
  }

  /** Runs one command and returns its exit status; user errors print one line, no stack trace. */
  public static int run(String[] argv, PrintStream out, PrintStream err) {
    try {
      return dispatch(CommandLine.parse(argv), out);
    } catch (Throwable t) {
      RefineryException user = userError(t);
      if (user != null) {
        err.println("refinery: error: " + user.getMessage());
        return 2;
      }
      err.println("refinery: failed: " + t);
      t.printStackTrace(err);
      return 1;
    }
  }

  private static int dispatch(CommandLine cl, PrintStream out) throws Exception {
    Map<String, Command> commands = commands();
    if (cl.command() == null) {
      out.print(help(commands));
      return 0;
    }
    Command c = commands.get(cl.command());
    if (c == null) {
      throw new RefineryException("unknown command '" + cl.command() + "'; run refinery --help for the list");
    }
    if (cl.help()) {
      out.println(c.usage());
      out.println();
      out.println(c.summary());
      return 0;
    }
    return c.run(cl);
  }

  /** Built-in commands, one per registered stage, and every registered {@link Command}. */
  static Map<String, Command> commands() {
    Map<String, Command> m = new TreeMap<>();
    Pipeline pipeline = Pipeline.discover();
    for (Stage s : pipeline.all()) {
      m.put(s.name(), new StageCommand(s));
    }
    m.put("run", new RunCommand(false));
    m.put("demo", new RunCommand(true));
    m.put("sql", new SqlCommand());
    m.put("runs", new RunsCommand());
    for (Command c : ServiceLoader.load(Command.class)) {
      if (m.putIfAbsent(c.name(), c) != null) {
        throw new IllegalStateException("two commands are named " + c.name());
      }
    }
    return m;
  }

  static String help(Map<String, Command> commands) {
    StringBuilder b = new StringBuilder();
    b.append("usage: refinery <command> [--conf FILE]... [--set key=value]... [args]\n\n");
    b.append("Curates text corpora on Spark + Delta Lake and trains on them. Commands:\n\n");
    for (Command c : commands.values()) {
      b.append(String.format("  %-14s %s%n", c.name(), c.summary()));
    }
    b.append("\nOptions for every command:\n");
    b.append("  --conf FILE      layer a HOCON file over conf/refinery.conf (repeatable, later wins)\n");
    b.append("  --set key=value  override one key (repeatable, wins over files)\n");
    b.append("  --help           this text, or a command's usage after its name\n");
    return b.toString();
  }

  /** The user error somewhere in the cause chain (Spark wraps what executors throw). */
  static RefineryException userError(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof RefineryException r) {
        return r;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return null;
  }
}
