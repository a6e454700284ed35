package dev.refinery.testing;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one of models/src/test/python's scripts in the Hugging Face virtual environment (transformers, peft, trl,
 * CPU torch; setup_hf_venv.sh creates it) and returns what it printed. A venv that cannot be set up fails the
 * test: these checks are never skipped.
 */
public final class HfPython {
  private HfPython() {}

  /** The script's stdout. */
  public static String run(String script, String... args) throws Exception {
    return runWith(venvPython(), script, args);
  }

  /** Sets the virtual environment up (idempotent) and returns its python, for a test that runs many scripts. */
  public static String venvPython() throws Exception {
    Process setup = new ProcessBuilder(new File(scripts(), "setup_hf_venv.sh").getPath())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(setup.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (setup.waitFor() != 0) {
      throw new IllegalStateException("setup_hf_venv.sh failed: cannot pip install transformers/peft/trl");
    }
    return out.substring(out.lastIndexOf('\n') + 1).trim();
  }

  /** The script's stdout, run by {@code python} (from {@link #venvPython()}). */
  public static String runWith(String python, String script, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(python, new File(scripts(), script).getPath()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException(script + " failed (exit " + p.exitValue() + ")");
    }
    return printed;
  }

  private static File scripts() {
    return new File(new File(System.getProperty("refinery.home", "..")), "models/src/test/python");
  }

  /** The last line the script printed (libraries may print their own lines before it). */
  public static String lastLine(String script, String... args) throws Exception {
    String out = run(script, args).trim();
    return out.substring(out.lastIndexOf('\n') + 1);
  }
}
