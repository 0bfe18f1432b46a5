package io.neuralake.train;

import java.io.Serializable;

/**
 * How long and how a distributed fit runs.
 *
 * @param epochs passes over the training data, &ge; 1
 * @param workers workers training in parallel, &ge; 1: each averaging round fits {@code workers}
 *     consecutive partitions of the training batches (see {@link io.neuralake.data.BatchMaker})
 * @param earlyStoppingPatience epochs without a lower validation loss before stopping; 0 turns
 *     early stopping off. The parameters of the best epoch are kept.
 */
public record TrainingPlan(int epochs, int workers, int earlyStoppingPatience)
    implements Serializable {

  public TrainingPlan {
    if (epochs < 1) {
      throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
    }
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be >= 1, got " + workers);
    }
    if (earlyStoppingPatience < 0) {
      throw new IllegalArgumentException("earlyStoppingPatience must be >= 0, got " + earlyStoppingPatience);
    }
  }
}
