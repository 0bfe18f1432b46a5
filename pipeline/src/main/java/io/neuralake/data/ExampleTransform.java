package io.neuralake.data;

import java.io.Serializable;
import java.util.Random;

/**
 * A change to each training example, made afresh in every epoch as its batch is fitted, as data
 * augmentation does: the cached batches stay as they are, and no changed copy of the data is kept.
 * It runs on the executors, so it must be serializable.
 */
@FunctionalInterface
public interface ExampleTransform extends Serializable {

  /**
   * Changes one example's features in place: {@code features[offset]} to {@code features[offset + length - 1]}.
   *
   * @param random seeded by the fit's seed, the epoch and the batch's partition, so that a fit repeats exactly
   */
  void apply(float[] features, int offset, int length, Random random);
}
