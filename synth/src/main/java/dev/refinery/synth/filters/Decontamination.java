package dev.refinery.synth.filters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.refinery.core.RefineryException;
import dev.refinery.synth.text.Shingles;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * Drops examples that share any word n-gram (13 by default, as in GPT-3's contamination study) with an
 * evaluation set, so synthetic training data does not leak benchmark items. Eval sets are JSON arrays or
 * JSONL (optionally .gz); every string field of every record is indexed.
 */
public final class Decontamination implements SynthFilter {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Set<Long> evalGrams;
  private final int n;

  public Decontamination(Set<Long> evalGrams, int n) {
    this.evalGrams = evalGrams;
    this.n = n;
  }

  public static Decontamination load(List<Path> evalSets, int n) {
    Set<Long> grams = new HashSet<>();
    for (Path p : evalSets) {
      for (String text : strings(p)) {
        grams.addAll(Shingles.fullGrams(text, n));
      }
    }
    return new Decontamination(grams, n);
  }

  public int indexedGrams() {
    return evalGrams.size();
  }

  @Override
  public String reject(Candidate c) {
    if (evalGrams.isEmpty()) {
      return null;
    }
    String text = c.instruction().userTurn() + (c.output() == null ? "" : "\n" + c.output());
    for (long g : Shingles.fullGrams(text, n)) {
      if (evalGrams.contains(g)) {
        return "contaminated:" + n + "-gram";
      }
    }
    return null;
  }

  private static List<String> strings(Path p) {
    List<String> out = new java.util.ArrayList<>();
    try (InputStream raw = Files.newInputStream(p);
        InputStream in = p.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
      if (text.startsWith("[")) {
        collect(JSON.readTree(text), out);
      } else {
        try (BufferedReader r = new BufferedReader(new java.io.StringReader(text))) {
          for (String line = r.readLine(); line != null; line = r.readLine()) {
            if (!line.isBlank()) {
              collect(JSON.readTree(line), out);
            }
          }
        }
      }
    } catch (IOException e) {
      throw new RefineryException("cannot read evaluation set " + p + " for decontamination: " + e.getMessage()
          + "; fix or remove it from synth.filters.decontamination.eval-sets");
    }
    return out;
  }

  private static void collect(JsonNode node, List<String> out) {
    if (node.isTextual()) {
      out.add(node.asText());
    } else if (node.isContainerNode()) {
      node.forEach(child -> collect(child, out));
    }
  }
}
