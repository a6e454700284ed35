package dev.refinery.ingest.cli;

import dev.refinery.cli.Command;
import dev.refinery.cli.CommandLine;
import dev.refinery.ingest.langid.LanguageGuess;
import dev.refinery.ingest.langid.LanguageIdentifier;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** {@code refinery langid}: one text per stdin line in, one {@code code<TAB>score} line out. */
public final class LangidCommand implements Command {
  @Override
  public String name() {
    return "langid";
  }

  @Override
  public String summary() {
    return "identify the language of each stdin line: prints code<TAB>score (ISO 639-1, und if unclear)";
  }

  @Override
  public String usage() {
    return "refinery langid < texts.txt";
  }

  @Override
  public int run(CommandLine cli) throws IOException {
    LanguageIdentifier langid = new LanguageIdentifier();
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      LanguageGuess g = langid.identify(line);
      out.println(g.code() + "\t" + String.format(Locale.ROOT, "%.4f", g.score()));
    }
    out.flush();
    return 0;
  }
}
