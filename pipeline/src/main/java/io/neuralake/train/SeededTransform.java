package io.neuralake.train;

import java.io.Serializable;
import java.util.Iterator;
import java.util.Random;

import io.neuralake.data.Batch;
import io.neuralake.data.ExampleTransform;

/**
 * A fit's per-example transform of its training batches and the seed it draws from; {@link #NONE}
 * leaves the batches as they are.
 */
record SeededTransform(ExampleTransform transform, long seed) implements Serializable {

  static final SeededTransform NONE = new SeededTransform(null, 0);

  /**
   * {@code batches}, worker {@code worker}'s of round {@code round} in epoch {@code epoch} (DL4J's count,
   * from 0), each changed as it is read.
   */
  Iterator<Batch> over(Iterator<Batch> batches, int epoch, int round, int worker) {
    if (transform == null) {
      return batches;
    }
    Random random = random(epoch, round, worker);
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return batches.hasNext();
      }

      @Override
      public Batch next() {
        return batches.next().transformed(transform, random);
      }
    };
  }

  /** The generator of the batch partition of {@code round} and {@code worker} in {@code epoch}. */
  Random random(int epoch, int round, int worker) {
    long key = seed;
    for (long part : new long[] {epoch, round, worker}) {
      key = key * 0x9E3779B97F4A7C15L + part;
    }
    return new Random(key);
  }
}
