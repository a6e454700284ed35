package dev.refinery.ingest.readers;

import java.util.Locale;

/** How a file is read, decided by its name. Anything unrecognised goes to Tika, which sniffs the bytes. */
public enum FileKind {
  WARC, HTML, TEXT, JSONL, DOCUMENT;

  public static FileKind of(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    if (n.endsWith(".gz")) {
      n = n.substring(0, n.length() - 3);
    }
    if (n.endsWith(".warc") || n.endsWith(".arc") || n.endsWith(".wet") || n.endsWith(".wat")) {
      return WARC;
    }
    if (n.endsWith(".html") || n.endsWith(".htm") || n.endsWith(".xhtml")) {
      return HTML;
    }
    if (n.endsWith(".txt") || n.endsWith(".md") || n.endsWith(".text") || n.endsWith(".markdown")) {
      return TEXT;
    }
    if (n.endsWith(".jsonl") || n.endsWith(".ndjson")) {
      return JSONL;
    }
    return DOCUMENT;
  }

  /** True if the name says the bytes are gzip-compressed (and the reader must inflate them itself). */
  public static boolean gzipped(String name) {
    return name.toLowerCase(Locale.ROOT).endsWith(".gz");
  }
}
