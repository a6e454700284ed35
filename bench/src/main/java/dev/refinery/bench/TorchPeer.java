package dev.refinery.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
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
    String out = PythonProcess.stdout(command(home, script, args));
    return new ObjectMapper().readTree(out.substring(out.lastIndexOf('{')));
  }

  private static List<String> command(File home, String script, String... args) throws Exception {
    String python = PythonProcess.venvPython(new File(home, "models/src/test/python/setup_hf_venv.sh"));
    List<String> command = new ArrayList<>(List.of(python, new File(home, "bench/python/models/" + script).getPath()));
    command.addAll(List.of(args));
    return command;
  }

  /**
   * A peer script that runs in rounds on request, so a benchmark interleaves its own rounds with the peer's and
   * both sides meet the same drifts of the host's speed: it prints a JSON line when ready, one per round after
   * each line it reads, and a summary last.
   */
  static final class Rounds implements AutoCloseable {
    private final Process process;
    private final BufferedReader out;
    private final Writer in;
    private final ObjectMapper json = new ObjectMapper();

    Rounds(File home, String script, String... args) throws Exception {
      process = new ProcessBuilder(command(home, script, args)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
      next(); // {"ready": true} once the peer has warmed up
    }

    /** Runs one round of the peer and returns the JSON line it printed for it. */
    JsonNode round() throws IOException {
      in.write("\n");
      in.flush();
      return next();
    }

    /** The summary line, once every round has run; the process must then exit cleanly. */
    JsonNode summary() throws IOException, InterruptedException {
      JsonNode last = next();
      if (process.waitFor() != 0) {
        throw new IOException("the PyTorch peer failed with status " + process.exitValue());
      }
      return last;
    }

    private JsonNode next() throws IOException {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("{")) {
          return json.readTree(line);
        }
      }
      throw new IOException("the PyTorch peer ended early (status " + waitQuietly() + ")");
    }

    private int waitQuietly() {
      try {
        return process.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return -1;
      }
    }

    @Override
    public void close() {
      process.destroy();
    }
  }
}
