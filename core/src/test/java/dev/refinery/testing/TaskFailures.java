package dev.refinery.testing;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.ExceptionFailure;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/** Counts task attempts that ended in an injected fault, to prove a task-once failpoint really fired. */
public final class TaskFailures extends SparkListener {
  private final AtomicInteger injected = new AtomicInteger();

  @Override
  public void onTaskEnd(SparkListenerTaskEnd end) {
    if (end.reason() instanceof ExceptionFailure f && f.toErrorString().contains("injected fault")) {
      injected.incrementAndGet();
    }
  }

  /** Injected task failures seen so far (listener events arrive asynchronously: waits a little for them). */
  public int injected(int atLeast) throws InterruptedException {
    for (int i = 0; i < 100 && injected.get() < atLeast; i++) {
      Thread.sleep(100);
    }
    return injected.get();
  }

  public void reset() {
    injected.set(0);
  }
}
