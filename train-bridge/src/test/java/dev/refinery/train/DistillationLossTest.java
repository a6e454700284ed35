package dev.refinery.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.refinery.train.trainer.DistillationLoss;
import org.junit.jupiter.api.Test;

class DistillationLossTest {
  // Two positions over a 3-token vocabulary.
  private static final float[] STUDENT = {1, 2, 0.5f, 0, -1, 1};
  private static final float[] TEACHER = {2, 0, 1, 0.5f, 0.5f, -1};

  @Test
  void lossEqualsTheHandComputedValue() {
    try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      NDArray student = m.create(STUDENT, new Shape(1, 2, 3));
      NDArray teacher = m.create(TEACHER, new Shape(1, 2, 3));
      NDArray targets = m.create(new long[] {1, 2}, new Shape(1, 2));
      DistillationLoss.Terms t = DistillationLoss.of(student, teacher, targets, 0.25f, 2f);
      // By hand (double precision): CE = -(log softmax([1,2,.5])[1] + log softmax([0,-1,1])[2]) / 2;
      // KL = mean over positions of sum p_t·(log p_t − log p_s) with p = softmax(logits / 2);
      // loss = 0.25·CE + 0.75·2²·KL.
      assertEquals(0.43598737427616274, t.crossEntropy().getFloat(), 1e-5);
      assertEquals(0.21689475302719735, t.kl().getFloat(), 1e-5);
      assertEquals(0.7596811026506327, t.loss().getFloat(), 1e-5);
    }
  }

  @Test
  void softTermIsZeroWhenStudentEqualsTeacher() {
    try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      NDArray logits = m.create(STUDENT, new Shape(1, 2, 3));
      NDArray targets = m.create(new long[] {1, 2}, new Shape(1, 2));
      DistillationLoss.Terms t = DistillationLoss.of(logits, logits.duplicate(), targets, 0.25f, 3f);
      assertEquals(0, t.kl().getFloat(), 1e-6);
      assertEquals(0.25 * t.crossEntropy().getFloat(), t.loss().getFloat(), 1e-6);
    }
  }
}
