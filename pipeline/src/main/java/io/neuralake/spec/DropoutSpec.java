package io.neuralake.spec;

import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.Layer;

/**
 * Dropout on the previous layer's outputs during training.
 *
 * @param rate the probability of dropping a unit, in [0, 1)
 */
public record DropoutSpec(double rate) implements LayerSpec {

  public DropoutSpec {
    if (!(rate >= 0 && rate < 1)) {
      throw new IllegalArgumentException("dropout rate must be in [0, 1), got " + rate);
    }
  }

  @Override
  public String toText() {
    return "dropout(" + rate + ")";
  }

  @Override
  public long[] outputShape(long[] inputShape) {
    return inputShape.clone();
  }

  @Override
  public long parameterCount(long[] inputShape) {
    return 0;
  }

  @Override
  public Layer toDl4j(long[] inputShape) {
    // DL4J's dropout argument is the probability of keeping a unit.
    return new DropoutLayer.Builder(1.0 - rate).build();
  }
}
