package io.neuralake.spec;

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
    return inputShape.clone();
  }

  /** Scale, shift, running mean and running variance per channel, as DL4J counts them. */
  @Override
  public long parameterCount(long[] inputShape) {
    return 4 * inputShape[0];
  }

  @Override
  public Layer toDl4j() {
    return new BatchNormalization.Builder().build();
  }
}
