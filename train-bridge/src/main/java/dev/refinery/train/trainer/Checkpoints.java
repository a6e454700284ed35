package dev.refinery.train.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.google.gson.Gson;
import dev.refinery.train.stream.StreamPosition;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Training checkpoints under one folder (any Hadoop path): {@code step-N/tensors.ndlist} (parameters and
 * optimizer moments, DJL's NDList encoding) and {@code step-N/state.json} (step, data-stream position,
 * metrics so far); {@code LATEST} names the newest complete one and is written last, so a crash while
 * saving leaves the previous checkpoint in force.
 */
public final class Checkpoints {
  private static final String LATEST = "LATEST";
  private final Path root;
  private final FileSystem fs;

  public Checkpoints(String dir, Configuration hadoop) throws IOException {
    this.root = new Path(dir);
    this.fs = root.getFileSystem(hadoop);
  }

  /** What a checkpoint stores besides tensors. */
  public record State(long step, int epoch, long streamStep, long tokens, double elapsedSeconds,
      List<TrainMetric> metrics) {
    public StreamPosition position() {
      return new StreamPosition(epoch, streamStep);
    }
  }

  /** A loaded checkpoint: state plus tensors (parameters named {@code p/NAME}, moments {@code m/}, {@code v/}). */
  public record Loaded(State state, NDList tensors) {}

  public void save(State state, Map<String, NDArray> parameters, NDList optimizerState) throws IOException {
    Path dir = new Path(root, "step-" + state.step());
    fs.mkdirs(dir);
    NDList all = new NDList();
    parameters.forEach((n, p) -> {
      NDArray named = p.duplicate();
      named.setName("p/" + n);
      all.add(named);
    });
    all.addAll(optimizerState);
    try (OutputStream out = fs.create(new Path(dir, "tensors.ndlist"), true)) {
      all.encode(out);
    }
    for (int i = 0; i < parameters.size(); i++) {
      all.get(i).close();
    }
    write(new Path(dir, "state.json"), new Gson().toJson(state));
    write(new Path(root, LATEST), dir.getName());
  }

  public Optional<Loaded> latest(NDManager manager) throws IOException {
    Path latest = new Path(root, LATEST);
    if (!fs.exists(latest)) {
      return Optional.empty();
    }
    Path dir = new Path(root, read(latest).trim());
    State state = new Gson().fromJson(read(new Path(dir, "state.json")), State.class);
    state = new State(state.step(), state.epoch(), state.streamStep(), state.tokens(), state.elapsedSeconds(),
        state.metrics() == null ? new ArrayList<>() : new ArrayList<>(state.metrics()));
    try (InputStream in = fs.open(new Path(dir, "tensors.ndlist"))) {
      return Optional.of(new Loaded(state, NDList.decode(manager, in)));
    }
  }

  /** Removes every checkpoint (a fresh, non-resumed run). */
  public void clear() throws IOException {
    if (fs.exists(root)) {
      fs.delete(root, true);
    }
  }

  private void write(Path p, String text) throws IOException {
    Path tmp = new Path(p.getParent(), "." + p.getName() + ".tmp");
    try (OutputStream out = fs.create(tmp, true)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
    fs.delete(p, false);
    fs.rename(tmp, p);
  }

  private String read(Path p) throws IOException {
    try (InputStream in = fs.open(p)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
