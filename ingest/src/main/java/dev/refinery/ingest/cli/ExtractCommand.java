package dev.refinery.ingest.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refinery.cli.Command;
import dev.refinery.cli.CommandLine;
import dev.refinery.core.RefineryException;
import dev.refinery.ingest.html.ExtractedPage;
import dev.refinery.ingest.html.HtmlDecoder;
import dev.refinery.ingest.html.MainContentExtractor;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * {@code refinery extract FILE_OR_DIR [--jsonl]}: main-content extraction of .html/.html.gz pages. One file
 * prints its title, a blank line and the main text; a folder (or --jsonl) prints one JSON object per page:
 * {"path", "title", "text"}.
 */
public final class ExtractCommand implements Command {
  @Override
  public String name() {
    return "extract";
  }

  @Override
  public String summary() {
    return "print the title and main text of HTML pages (.html, .html.gz; --jsonl for one JSON per page)";
  }

  @Override
  public String usage() {
    return "refinery extract FILE_OR_DIR [--jsonl]";
  }

  @Override
  public int run(CommandLine cli) throws IOException {
    List<String> args = new ArrayList<>(cli.args());
    boolean jsonl = args.remove("--jsonl");
    if (args.size() != 1) {
      throw new RefineryException("usage: " + usage());
    }
    File target = new File(args.get(0));
    if (!target.exists()) {
      throw new RefineryException("extract: no such file or folder: " + target);
    }
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    MainContentExtractor extractor = new MainContentExtractor();
    if (target.isFile() && !jsonl) {
      ExtractedPage page = extract(extractor, target.toPath());
      out.println(page.title());
      out.println();
      out.println(page.text());
      out.flush();
      return 0;
    }
    ObjectMapper json = new ObjectMapper();
    for (Path p : pages(target.toPath())) {
      ExtractedPage page = extract(extractor, p);
      ObjectNode o = json.createObjectNode();
      o.put("path", p.toString());
      o.put("title", page.title());
      o.put("text", page.text());
      out.println(json.writeValueAsString(o));
    }
    out.flush();
    return 0;
  }

  private static List<Path> pages(Path root) throws IOException {
    if (Files.isRegularFile(root)) {
      return List.of(root);
    }
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile).filter(ExtractCommand::isHtml).sorted().toList();
    }
  }

  private static boolean isHtml(Path p) {
    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return n.endsWith(".html") || n.endsWith(".htm") || n.endsWith(".html.gz") || n.endsWith(".htm.gz");
  }

  static ExtractedPage extract(MainContentExtractor extractor, Path p) throws IOException {
    byte[] bytes;
    try (InputStream raw = new FileInputStream(p.toFile());
        InputStream in = p.toString().toLowerCase(Locale.ROOT).endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
      bytes = in.readAllBytes();
    }
    return extractor.extract(HtmlDecoder.decode(bytes, null).text(), null);
  }
}
