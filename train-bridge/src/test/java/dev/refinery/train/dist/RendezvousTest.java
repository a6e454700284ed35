package dev.refinery.train.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class RendezvousTest {
  private static final int TIMEOUT_MS = 10_000;

  @Test
  void everyTrainerGetsEveryAddressInRankOrderAtOnce() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try (Rendezvous r = new Rendezvous("127.0.0.1", 3, TIMEOUT_MS)) {
      Rendezvous.Address address = r.address("127.0.0.1");
      List<Future<List<String>>> joined = new ArrayList<>();
      long t0 = System.nanoTime();
      for (int rank : new int[] {2, 0, 1}) { // arrival order is not rank order
        joined.add(pool.submit(() -> address.join(0, rank, "host" + rank + ":" + (7000 + rank), TIMEOUT_MS, () -> false)));
      }
      for (Future<List<String>> f : joined) {
        assertEquals(List.of("host0:7000", "host1:7001", "host2:7002"), f.get());
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      assertTrue(seconds < 0.5, "met in " + seconds + " s: Spark's allGather took a whole second");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aReRunStageAttemptMeetsApartFromTheFailedOne() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try (Rendezvous r = new Rendezvous("127.0.0.1", 2, TIMEOUT_MS)) {
      Rendezvous.Address address = r.address("127.0.0.1");
      // attempt 0: rank 1 never arrives (its task failed), and Spark cancels rank 0
      Future<List<String>> stale = pool.submit(() -> address.join(0, 0, "old0:1", TIMEOUT_MS, () -> true));
      IOException cancelled = assertThrows(IOException.class, () -> unwrap(stale));
      assertTrue(cancelled.getMessage().contains("cancelled"), cancelled.getMessage());
      // attempt 1: both arrive and see only attempt 1's addresses
      Future<List<String>> zero = pool.submit(() -> address.join(1, 0, "new0:1", TIMEOUT_MS, () -> false));
      assertEquals(List.of("new0:1", "new1:2"), address.join(1, 1, "new1:2", TIMEOUT_MS, () -> false));
      assertEquals(List.of("new0:1", "new1:2"), zero.get());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aMissingTrainerFailsTheWaitWithTheSettingToRaise() {
    try (Rendezvous r = new Rendezvous("127.0.0.1", 2, TIMEOUT_MS)) {
      IOException e = assertThrows(IOException.class,
          () -> r.address("127.0.0.1").join(0, 0, "h:1", 300, () -> false));
      assertTrue(e.getMessage().contains("did not all start within 300 ms (train.connect-timeout)"), e.getMessage());
    }
  }

  @Test
  void anUnreachableDriverIsToldApartFromSlowTrainers() {
    int closedPort;
    try (Rendezvous r = new Rendezvous("127.0.0.1", 2, TIMEOUT_MS)) {
      closedPort = r.address("127.0.0.1").port();
    }
    Rendezvous.Unreachable e = assertThrows(Rendezvous.Unreachable.class,
        () -> new Rendezvous.Address("127.0.0.1", closedPort).join(0, 0, "h:1", 1_000, () -> false));
    assertTrue(e.getMessage().contains("unreachable"), e.getMessage());
  }

  @Test
  void aClosedRendezvousFailsTheTrainersStillWaiting() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Rendezvous r = new Rendezvous("127.0.0.1", 2, TIMEOUT_MS);
      Rendezvous.Address address = r.address("127.0.0.1");
      Future<List<String>> waiting = pool.submit(() -> address.join(0, 1, "h:1", TIMEOUT_MS, () -> false));
      Thread.sleep(200); // it has arrived
      r.close();
      IOException e = assertThrows(IOException.class, () -> unwrap(waiting));
      assertTrue(e.getMessage().contains("closed before every trainer had arrived"), e.getMessage());
    } finally {
      pool.shutdownNow();
    }
  }

  private static List<String> unwrap(Future<List<String>> f) throws Exception {
    try {
      return f.get();
    } catch (java.util.concurrent.ExecutionException e) {
      throw (Exception) e.getCause();
    }
  }
}
