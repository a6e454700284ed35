package dev.refinery.train.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ConsoleRelayTest {
  @Test
  void everyLineOfEveryTrainerIsPrintedBeforeCloseReturns() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream console = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    ConsoleRelay.Address address;
    try (ConsoleRelay relay = new ConsoleRelay("127.0.0.1", console)) {
      address = relay.address("127.0.0.1");
      List<Thread> trainers = new ArrayList<>();
      for (int rank = 0; rank < 2; rank++) {
        int r = rank;
        Thread t = new Thread(() -> {
          try (PrintStream out = address.open(5_000)) {
            for (int step = 1; step <= 50; step++) {
              out.printf("rank %d step %d ü%n", r, step);
            }
          }
        });
        t.start();
        trainers.add(t);
      }
      for (Thread t : trainers) {
        t.join();
      }
    }
    Set<String> lines = new TreeSet<>(List.of(bytes.toString(StandardCharsets.UTF_8).split("\n")));
    assertEquals(100, lines.size());
    assertEquals(true, lines.contains("rank 1 step 50 ü"));
  }

  @Test
  void anUnreachableDriverLeavesTheLinesOnThisJvmsStdout() {
    int closedPort;
    try (ConsoleRelay relay = new ConsoleRelay("127.0.0.1", System.out)) {
      closedPort = relay.address("127.0.0.1").port();
    }
    try (PrintStream out = new ConsoleRelay.Address("127.0.0.1", closedPort).open(1_000)) {
      out.println("still printed");
    }
    System.out.println("stdout still open"); // closing the fallback stream must not close System.out
    assertEquals(false, System.out.checkError());
  }
}
