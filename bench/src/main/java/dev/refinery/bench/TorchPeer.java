package dev.refinery.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a PyTorch peer script of bench/python/models in models/.venv-hf (created on first use by
 * models/src/test/python/setup_hf_venv.sh: the same pinned CPU PyTorch the Hugging Face checks use, so one
 * torch install serves both) and returns the JSON object it prints last.
 */
final class TorchPeer {
  private TorchPeer() {}

  static JsonNode run(File home, String script, String... args) throws Exception {
    String python = PythonProcess.venvPython(new File(home, "models/src/test/python/setup_hf_venv.sh"));
    List<String> command = new ArrayList<>(List.of(python, new File(home, "bench/python/models/" + script).getPath()));
    command.addAll(List.of(args));
    String out = PythonProcess.stdout(command);
    return new ObjectMapper().readTree(out.substring(out.lastIndexOf('{')));
  }
}
