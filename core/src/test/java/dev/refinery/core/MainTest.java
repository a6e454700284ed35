package dev.refinery.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.refinery.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MainTest {
  private static String[] run(int expected, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    String o = out.toString(StandardCharsets.UTF_8);
    String e = err.toString(StandardCharsets.UTF_8);
    assertEquals(expected, status, o + e);
    return new String[] {o, e};
  }

  @Test
  void helpListsBuiltInCommands() {
    String out = run(0, "--help")[0];
    assertTrue(out.contains("demo"));
    assertTrue(out.contains("run"));
    assertTrue(out.contains("--set key=value"));
  }

  @Test
  void unknownCommandIsOneLineWithoutStackTrace() {
    String err = run(2, "frobnicate")[1];
    assertTrue(err.startsWith("refinery: error: unknown command 'frobnicate'"), err);
    assertFalse(err.contains("\tat "), err);
  }

  @Test
  void misspelledKeyStopsWithOneLine() {
    String err = run(2, "run", "--set", "warehouse.roots=/tmp/x")[1];
    assertEquals(1, err.strip().lines().count(), err);
    assertTrue(err.contains("did you mean 'warehouse.root'"), err);
  }
}
