package dev.refinery.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class EngineSmokeTest {
  @Test
  void pytorchEngineAddsTwoArraysOffline() {
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      NDArray a = m.create(new float[] {1, 2, 3});
      NDArray b = m.create(new float[] {10, 20, 30});
      assertArrayEquals(new float[] {11, 22, 33}, a.add(b).toFloatArray());
    }
  }
}
