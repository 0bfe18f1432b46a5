package io.neuralake.spec;

import java.util.Arrays;

import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Layer;

/**
 * Batch normalization: per channel (images) or per unit (vectors), with learned scale and shift
 * and running mean and variance for inference.
 */
public record BatchNormSpec() implements LayerSpec {

  @Override
  public String toText() {
    return "batchnorm()";
  }

  @Override
  public long[] outputShape(long[] inputShape) {
    if (inputShape.length == 2) {
      throw new IllegalArgumentException("batchnorm takes vectors or images, not a sequence " + Arrays.toString(inputShape)
          + "; put it after a recurrent layer with sequences=false or after globalpool");
    }
    return inputShape.clone();
  }

  /** Scale, shift, running mean and running variance per channel, as DL4J counts them. */
  @Override
  public long parameterCount(long[] inputShape) {
    return 4 * inputShape[0];
  }

  @Override
  public Layer toDl4j(long[] inputShape) {
    return new BatchNormalization.Builder().build();
  }
}
