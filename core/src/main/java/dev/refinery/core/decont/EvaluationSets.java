package dev.refinery.core.decont;

import dev.refinery.core.RefineryException;
import dev.refinery.core.config.ProjectPaths;
import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.text.JsonRecords;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The evaluation sets of the {@code decontamination} block, read into one {@link ContaminationIndex} that
 * dedup (documents) and synth (generated examples) both check against, so an item gets one verdict. JSON,
 * JSON array or JSONL files ({@code .gz} too) contribute every string value of every record; any other file
 * contributes each non-blank line. Relative paths are read from the project home.
 */
public final class EvaluationSets {
  public static final String PATHS = "decontamination.eval-sets";

  private EvaluationSets() {}

  /** The index of {@code decontamination.*}; a missing or unreadable file stops with one line. */
  public static ContaminationIndex load(RefineryConfig config) {
    return load(config.getStringList(PATHS), config.getInt("decontamination.ngram"),
        config.getInt("decontamination.min-words"));
  }

  public static ContaminationIndex load(List<String> paths, int n, int minWords) {
    ContaminationIndex index = new ContaminationIndex(n, minWords);
    for (String p : paths) {
      Path path = ProjectPaths.resolve(p);
      if (!Files.isRegularFile(path)) {
        throw new RefineryException(PATHS + " names " + p + ", which is not a readable file ("
            + path + "); fix the path or remove it");
      }
      try {
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT).replaceFirst("\\.gz$", "");
        if (name.endsWith(".jsonl") || name.endsWith(".json")) {
          JsonRecords.read(path).forEach(r -> JsonRecords.strings(r).forEach(index::add));
        } else {
          JsonRecords.text(path).lines().filter(l -> !l.isBlank()).forEach(index::add);
        }
      } catch (IOException e) {
        throw new RefineryException("cannot read evaluation set " + p + " (" + PATHS + "): " + e.getMessage());
      }
    }
    return index;
  }
}
