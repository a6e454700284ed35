package dev.refinery.quality.blocklist;

import dev.refinery.core.config.RefineryConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Builds the block-list signals from the files {@code quality.blocklists.*} names. */
public final class BlockLists {
  private BlockLists() {}

  public static BlockListSignals fromConfig(RefineryConfig config, Function<String, List<String>> files) {
    String domainsFile = config.getString("quality.blocklists.domains-file");
    DomainBlockList domains = domainsFile.isBlank() ? DomainBlockList.parse(List.of())
        : DomainBlockList.parse(files.apply(domainsFile));
    Map<String, WordBlockList> words = new HashMap<>();
    for (Map.Entry<String, String> e : config.flatStrings("quality.blocklists.words").entrySet()) {
      words.put(e.getKey(), WordBlockList.parse(files.apply(e.getValue())));
    }
    return new BlockListSignals(domains, words);
  }
}
