package io.neuralake.train;

import java.util.Iterator;

import io.neuralake.data.Batch;
import io.neuralake.data.BatchArrays;

/**
 * A worker's fit of its batches of one round: the loss summed over examples, and the examples.
 *
 * @param lossSum each batch's loss times its rows, summed
 * @param examples rows fitted
 */
record RoundFit(double lossSum, long examples) {

  /** Fits {@code network} on each of {@code batches} in turn, copied into {@code arrays}. */
  static RoundFit of(TrainableNetwork network, Iterator<Batch> batches, BatchArrays arrays) {
    double lossSum = 0;
    long examples = 0;
    while (batches.hasNext()) {
      Batch batch = batches.next();
      lossSum += network.fit(arrays.of(batch)) * batch.rows();
      examples += batch.rows();
    }
    return new RoundFit(lossSum, examples);
  }
}
