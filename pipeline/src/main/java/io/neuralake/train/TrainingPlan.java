package io.neuralake.train;

import java.io.Serializable;

/**
 * How long and how a distributed fit runs.
 *
 * @param epochs passes over the training data, &ge; 1
 * @param averagingFrequency mini-batches each worker fits between two parameter averages, &ge; 1
 * @param earlyStoppingPatience epochs without a lower validation loss before stopping; 0 turns
 *     early stopping off. The parameters of the best epoch are kept.
 * @param threadsPerWorker ND4J native threads each worker task uses: the cores a task owns
 *     ({@code spark.task.cpus})
 */
public record TrainingPlan(int epochs, int averagingFrequency, int earlyStoppingPatience, int threadsPerWorker)
    implements Serializable {

  public TrainingPlan {
    if (threadsPerWorker < 1) {
      throw new IllegalArgumentException("threadsPerWorker must be >= 1, got " + threadsPerWorker);
    }
    if (epochs < 1) {
      throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
    }
    if (averagingFrequency < 1) {
      throw new IllegalArgumentException("averagingFrequency must be >= 1, got " + averagingFrequency);
    }
    if (earlyStoppingPatience < 0) {
      throw new IllegalArgumentException("earlyStoppingPatience must be >= 0, got " + earlyStoppingPatience);
    }
  }
}
