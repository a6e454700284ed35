package dev.refinery.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** One Chart.js chart: its type, labels and datasets, rendered as the JSON config Chart.js takes. */
public final class Chart {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] PALETTE = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948",
      "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"};

  private final ObjectNode config = JSON.createObjectNode();
  private final ArrayNode datasets;
  private final String title;

  private Chart(String type, String title, List<String> labels) {
    this.title = title;
    config.put("type", type);
    ObjectNode data = config.putObject("data");
    ArrayNode l = data.putArray("labels");
    labels.forEach(l::add);
    datasets = data.putArray("datasets");
    ObjectNode options = config.putObject("options");
    options.put("animation", false);
    options.put("maintainAspectRatio", false);
    options.putObject("plugins").putObject("title").put("display", true).put("text", title);
  }

  public static Chart bar(String title, List<String> labels) {
    return new Chart("bar", title, labels);
  }

  /** Horizontal bars, for long category names such as rule names. */
  public static Chart horizontalBar(String title, List<String> labels) {
    Chart c = new Chart("bar", title, labels);
    ((ObjectNode) c.config.get("options")).put("indexAxis", "y");
    return c;
  }

  public static Chart line(String title, List<String> labels) {
    return new Chart("line", title, labels);
  }

  public static Chart doughnut(String title, List<String> labels) {
    return new Chart("doughnut", title, labels);
  }

  /** Adds a series; doughnuts get one colour per slice, other charts one colour per series. */
  public Chart series(String name, List<? extends Number> values) {
    ObjectNode d = datasets.addObject();
    d.put("label", name);
    ArrayNode v = d.putArray("data");
    values.forEach(x -> v.add(x == null ? null : JSON.valueToTree(x)));
    int i = datasets.size() - 1;
    if ("doughnut".equals(config.get("type").asText())) {
      ArrayNode colours = d.putArray("backgroundColor");
      for (int k = 0; k < values.size(); k++) {
        colours.add(PALETTE[k % PALETTE.length]);
      }
    } else {
      d.put("backgroundColor", PALETTE[i % PALETTE.length]);
      d.put("borderColor", PALETTE[i % PALETTE.length]);
      d.put("pointRadius", 0);
    }
    return this;
  }

  /** Draws a line across missing values (series measured at different steps share one axis). */
  public Chart spanGaps() {
    ((ObjectNode) config.get("options")).put("spanGaps", true);
    return this;
  }

  /** Logarithmic value axis (for counts spanning orders of magnitude). */
  public Chart logScale() {
    String axis = "y".equals(config.path("options").path("indexAxis").asText()) ? "x" : "y";
    ((ObjectNode) config.get("options")).putObject("scales").putObject(axis).put("type", "logarithmic");
    return this;
  }

  /** The values it draws: non-null values over all series (a chart with none is left off the card). */
  public int points() {
    int n = 0;
    for (var d : datasets) {
      for (var v : d.get("data")) {
        n += v.isNull() ? 0 : 1;
      }
    }
    return n;
  }

  public String title() {
    return title;
  }

  public String toJson() {
    return config.toString();
  }
}
