package dev.refinery.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The peak JVM heap in use of the driver and of the executors over an application, from its Spark event log
 * (spark.eventLog.logStageExecutorMetrics=true: one sample per stage and executor of the metrics polled every
 * spark.executor.metrics.pollingInterval), and the heap each was given (spark.driver.memory and
 * spark.executor.memory of the environment event). Heap in use includes garbage not yet collected: an upper
 * bound of what the run needed.
 */
record EventLogHeap(long driverMb, long executorMb, long driverMaxMb, long executorMaxMb) {

  /** Reads every uncompressed event log file under {@code dir}. */
  static EventLogHeap read(Path dir) throws IOException {
    ObjectMapper json = new ObjectMapper();
    long driver = 0;
    long executor = 0;
    long driverMax = -1;
    long executorMax = -1;
    List<Path> files;
    try (Stream<Path> s = Files.walk(dir)) {
      files = s.filter(Files::isRegularFile).toList();
    }
    for (Path f : files) {
      try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          JsonNode e;
          try {
            e = json.readTree(line);
          } catch (IOException cutShort) { // a killed driver's last line
            continue;
          }
          String event = e.path("Event").asText();
          if (event.equals("SparkListenerStageExecutorMetrics")) {
            long heap = e.path("Executor Metrics").path("JVMHeapMemory").asLong(0);
            if (e.path("Executor ID").asText().equals("driver")) {
              driver = Math.max(driver, heap);
            } else {
              executor = Math.max(executor, heap);
            }
          } else if (event.equals("SparkListenerEnvironmentUpdate")) {
            JsonNode props = e.path("Spark Properties");
            driverMax = megabytes(props.path("spark.driver.memory").asText("1g"));
            executorMax = megabytes(props.path("spark.executor.memory").asText("1g"));
          }
        }
      }
    }
    return new EventLogHeap(driver >> 20, executor >> 20, driverMax, executorMax);
  }

  /** Spark's memory strings ("1g", "512m", "2048k"; a bare number is MiB) in MiB. */
  static long megabytes(String size) {
    String s = size.trim().toLowerCase(Locale.ROOT).replaceAll("b$", "");
    char unit = s.charAt(s.length() - 1);
    long n = Character.isDigit(unit) ? Long.parseLong(s) : Long.parseLong(s.substring(0, s.length() - 1));
    return switch (unit) {
      case 't' -> n << 20;
      case 'g' -> n << 10;
      case 'k' -> n >> 10;
      default -> n; // 'm' or no unit
    };
  }
}
