package dev.refinery.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a PyTorch peer script of bench/python/models in bench/.venv-models (created on first use by
 * setup_venv.sh, PyTorch from PyPI) and returns the JSON object it prints last.
 */
final class TorchPeer {
  private TorchPeer() {}

  static JsonNode run(File home, String script, String... args) throws Exception {
    String python = PythonProcess.venvPython(new File(home, "bench/python/models/setup_venv.sh"));
    List<String> command = new ArrayList<>(List.of(python, new File(home, "bench/python/models/" + script).getPath()));
    command.addAll(List.of(args));
    String out = PythonProcess.stdout(command);
    return new ObjectMapper().readTree(out.substring(out.lastIndexOf('{')));
  }
}
