package dev.refinery.train.dist;

import java.io.Serializable;

/** The work of one trainer in a barrier stage; shipped to every task, run once per task. */
@FunctionalInterface
public interface TrainerTask<R extends Serializable> extends Serializable {
  R run(TrainerContext context) throws Exception;
}
