package dev.refinery.bench;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Runs the Python peers of the benchmarks: their virtual environments' set-up scripts and their scripts. */
final class PythonProcess {
  private PythonProcess() {}

  /**
   * Runs a bench/python set-up script (it creates its virtual environment on first use and prints the
   * environment's python last); returns that python's path.
   */
  static String venvPython(File setupScript) throws IOException, InterruptedException {
    String out = stdout(List.of(setupScript.getPath())).trim();
    return out.substring(out.lastIndexOf('\n') + 1).trim();
  }

  /** Runs a command, passing its stderr through; returns its stdout, or fails on a non-zero status. */
  static String stdout(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException(String.join(" ", command) + " failed with status " + p.exitValue());
    }
    return out;
  }
}
