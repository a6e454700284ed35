package dev.refinery.train.dist;

import java.io.PrintStream;
import java.util.Optional;

/**
 * What a trainer knows about its place in the barrier stage: its rank among {@code worldSize} trainers, the
 * ring to average gradients over, the GPU Spark assigned it (empty on CPU), which stage attempt this is
 * (a retried stage resumes from the last checkpoint), and the console whose lines reach the driver's.
 */
public record TrainerContext(int rank, int worldSize, RingAllReduce allReduce, Optional<Integer> gpu,
    int stageAttempt, PrintStream console) {}
