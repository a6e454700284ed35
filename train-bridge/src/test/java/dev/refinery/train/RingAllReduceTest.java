package dev.refinery.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.refinery.train.dist.RingAllReduce;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class RingAllReduceTest {
  @Test
  void threeTrainersAverageAnArrayThatDoesNotSplitEvenly() throws Exception {
    int n = 3;
    int len = 100_003;
    List<ServerSocket> servers = new ArrayList<>();
    List<String> addresses = new ArrayList<>();
    for (int r = 0; r < n; r++) {
      ServerSocket s = RingAllReduce.listen();
      servers.add(s);
      addresses.add("127.0.0.1:" + s.getLocalPort());
    }
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      List<Future<float[]>> results = new ArrayList<>();
      for (int r = 0; r < n; r++) {
        int rank = r;
        results.add(pool.submit(() -> {
          float[] data = new float[len];
          for (int i = 0; i < len; i++) {
            data[i] = rank * 1000 + i % 97;
          }
          try (RingAllReduce ring = RingAllReduce.connect(rank, addresses, servers.get(rank), 10_000)) {
            ring.average(data);
            ring.average(data); // a second round on the same connections
          }
          return data;
        }));
      }
      float[] first = results.get(0).get();
      for (int i = 0; i < len; i++) {
        assertEquals(1000 + i % 97, first[i], 1e-3);
      }
      for (Future<float[]> f : results) {
        assertArrayEquals(first, f.get()); // bit-identical on every trainer
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
