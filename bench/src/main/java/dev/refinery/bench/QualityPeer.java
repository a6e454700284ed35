package dev.refinery.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shared input and the datatrove side of the quality benchmarks: sets up bench/.venv-quality
 * (bench/python/quality/setup_venv.sh), prepares the documents once (bench/target/quality/docs.jsonl:
 * trafilatura-eval pages as main text and as whole-page text, plus ChineseWebText), and runs datatrove's
 * four filters over them on one core (bench/python/quality/conformance.py).
 */
final class QualityPeer {
  static final List<String> FILTERS = List.of("gopher_quality", "gopher_repetition", "c4", "fineweb");

  record Doc(String id, String text) {}

  /** datatrove's verdicts: per document id, per filter, null (kept) or its reason; and the filter time. */
  record Verdicts(Map<String, Map<String, String>> byDoc, double seconds) {}

  private final File home = new File(System.getProperty("refinery.home", "."));
  private final File work = new File(home, "bench/target/quality");
  private final File used = new File(work, "docs-used.jsonl");
  private final ObjectMapper json = new ObjectMapper();
  private String python;

  /** The first {@code limit} documents; the peer's run sees the same ones. */
  List<Doc> documents(int limit) throws IOException, InterruptedException {
    // all documents, or (a smoke run) only the first `limit`: the same ones, without extracting every page
    File docs = new File(work, "docs.jsonl");
    if (!docs.isFile() && limit != Integer.MAX_VALUE) {
      docs = new File(work, "docs-" + limit + ".jsonl");
    }
    if (!docs.isFile()) {
      work.mkdirs();
      String shared = System.getenv().getOrDefault("REFINERY_SHARED_DATA",
          new File(home, "../shared/data").getAbsolutePath());
      PythonProcess.stdout(List.of(python(), script(), "prepare", shared, docs.getPath(),
          String.valueOf(limit)));
    }
    List<String> lines = Files.readAllLines(docs.toPath(), StandardCharsets.UTF_8);
    lines = lines.subList(0, Math.min(limit, lines.size()));
    Files.write(used.toPath(), lines, StandardCharsets.UTF_8);
    List<Doc> out = new ArrayList<>();
    for (String line : lines) {
      JsonNode n = json.readTree(line);
      out.add(new Doc(n.get("id").asText(), n.get("text").asText()));
    }
    return out;
  }

  Verdicts datatrove() throws IOException, InterruptedException {
    File out = new File(work, "datatrove.jsonl");
    String summary = PythonProcess.stdout(List.of(python(), script(), "run", used.getPath(), out.getPath()));
    double seconds = json.readTree(summary.substring(summary.lastIndexOf('{'))).get("seconds").asDouble();
    Map<String, Map<String, String>> byDoc = new LinkedHashMap<>();
    for (String line : Files.readAllLines(out.toPath(), StandardCharsets.UTF_8)) {
      JsonNode n = json.readTree(line);
      Map<String, String> v = new LinkedHashMap<>();
      for (String f : FILTERS) {
        v.put(f, n.get(f).isNull() ? null : n.get(f).asText());
      }
      byDoc.put(n.get("id").asText(), v);
    }
    return new Verdicts(byDoc, seconds);
  }

  private String script() {
    return new File(home, "bench/python/quality/conformance.py").getPath();
  }

  private String python() throws IOException, InterruptedException {
    if (python == null) {
      python = PythonProcess.venvPython(new File(home, "bench/python/quality/setup_venv.sh"));
    }
    return python;
  }
}
