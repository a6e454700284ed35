package dev.refinery.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a PyTorch peer script of bench/python/models in bench/.venv-models (created on first use by
 * setup_venv.sh, PyTorch from PyPI) and returns the JSON object it prints last.
 */
final class TorchPeer {
  private TorchPeer() {}

  static JsonNode run(File home, String script, String... args) throws Exception {
    String python = exec(List.of(new File(home, "bench/python/models/setup_venv.sh").getPath())).trim();
    python = python.substring(python.lastIndexOf('\n') + 1).trim();
    List<String> command = new ArrayList<>(List.of(python, new File(home, "bench/python/models/" + script).getPath()));
    command.addAll(List.of(args));
    String out = exec(command);
    return new ObjectMapper().readTree(out.substring(out.lastIndexOf('{')));
  }

  private static String exec(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed with status " + p.exitValue());
    }
    return out;
  }
}
