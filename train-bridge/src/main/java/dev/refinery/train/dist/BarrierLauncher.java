package dev.refinery.train.dist;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Serializable;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.resource.ResourceInformation;
import org.apache.spark.sql.SparkSession;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;

/**
 * Runs {@code tasks} trainers as one Spark barrier stage ({@code RDD.barrier().mapPartitions}): all start
 * together or not at all, and if one fails Spark re-runs the whole stage, which is what synchronous data
 * parallelism needs. Each task opens a socket, the addresses are exchanged through the driver's
 * {@link Rendezvous} (Spark's own {@code allGather} waits a second per call; it remains the way when an executor
 * cannot reach the driver's port), and the tasks form a {@link RingAllReduce} ring: a trainer starts once both
 * its neighbours are connected. On a GPU cluster
 * ({@code spark.task.resource.gpu.amount=1} and a discovery script) each task gets the GPU Spark assigned it;
 * on CPU the same code runs without one.
 */
public final class BarrierLauncher {
  private final SparkSession spark;
  private final int connectTimeoutMs;

  public BarrierLauncher(SparkSession spark, int connectTimeoutMs) {
    this.spark = spark;
    this.connectTimeoutMs = connectTimeoutMs;
  }

  /** Runs the task on {@code tasks} trainers; returns their results in rank order. */
  @SuppressWarnings("unchecked")
  public <R extends Serializable> List<R> run(int tasks, TrainerTask<R> task) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    List<Integer> ranks = IntStream.range(0, tasks).boxed().toList();
    var rdd = jsc.parallelize(ranks, tasks).rdd();
    String driverHost = jsc.getConf().get("spark.driver.host");
    List<Object> out;
    String bindHost = jsc.getConf().get("spark.driver.bindAddress", driverHost);
    try (ConsoleRelay relay = new ConsoleRelay(bindHost, System.out);
        Rendezvous rendezvous = new Rendezvous(bindHost, tasks, connectTimeoutMs)) {
      out = new ArrayList<>(Arrays.asList((Object[]) rdd.barrier()
          .mapPartitions(new TrainerPartition<>(task, connectTimeoutMs, relay.address(driverHost),
              rendezvous.address(driverHost)), false,
              ClassTag$.MODULE$.apply(Object.class))
          // The shuffle makes the barrier stage a map stage: Spark re-runs a failed barrier map stage as a whole,
          // while a failed barrier result stage aborts the job.
          .repartition(1, null)
          .collect()));
    }
    out.sort((a, b) -> Integer.compare(((Ranked<R>) a).rank(), ((Ranked<R>) b).rank()));
    return out.stream().map(o -> ((Ranked<R>) o).result()).toList();
  }

  private record Ranked<R extends Serializable>(int rank, R result) implements Serializable {}

  private static final class TrainerPartition<R extends Serializable>
      extends AbstractFunction1<scala.collection.Iterator<Integer>, scala.collection.Iterator<Object>>
      implements Serializable {
    private final TrainerTask<R> task;
    private final int timeoutMs;
    private final ConsoleRelay.Address console;
    private final Rendezvous.Address rendezvous;

    TrainerPartition(TrainerTask<R> task, int timeoutMs, ConsoleRelay.Address console, Rendezvous.Address rendezvous) {
      this.task = task;
      this.timeoutMs = timeoutMs;
      this.console = console;
      this.rendezvous = rendezvous;
    }

    @Override
    public scala.collection.Iterator<Object> apply(scala.collection.Iterator<Integer> ignored) {
      BarrierTaskContext ctx = BarrierTaskContext.get();
      int rank = ctx.partitionId();
      try {
        ServerSocket server = RingAllReduce.listen();
        String host = SparkEnv.get().blockManager().blockManagerId().host();
        String self = host + ":" + server.getLocalPort();
        List<String> addresses;
        try {
          addresses = rendezvous.join(ctx.stageAttemptNumber(), rank, self, timeoutMs, ctx::isInterrupted);
        } catch (Rendezvous.Unreachable e) {
          // Spark's own channel to the driver always works, a second later
          System.out.println("trainer " + rank + ": " + e.getMessage() + "; meeting through Spark's allGather");
          addresses = List.of(ctx.allGather(self));
        } catch (IOException | RuntimeException e) {
          server.close();
          throw e;
        }
        try (RingAllReduce ring = RingAllReduce.connect(rank, addresses, server, timeoutMs);
            PrintStream out = console.open(timeoutMs)) {
          Map<String, ResourceInformation> resources = ctx.resourcesJMap();
          Optional<Integer> gpu = Optional.ofNullable(resources.get("gpu"))
              .map(r -> Integer.parseInt(r.addresses()[0]));
          R result = task.run(new TrainerContext(rank, addresses.size(), ring, gpu, ctx.stageAttemptNumber(), out));
          Iterator<Object> one = List.<Object>of(new Ranked<>(rank, result)).iterator();
          return CollectionConverters.asScala(one);
        }
      } catch (IOException e) {
        throw new java.io.UncheckedIOException("trainer " + rank + " failed", e);
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new RuntimeException("trainer " + rank + " failed: " + e.getMessage(), e);
      }
    }
  }
}
