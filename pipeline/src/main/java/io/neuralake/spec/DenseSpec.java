package io.neuralake.spec;

import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;

/**
 * A fully connected layer.
 *
 * @param units number of output units, at least 1
 * @param activation the activation applied to the outputs
 */
public record DenseSpec(int units, Activation activation) implements LayerSpec {

  public DenseSpec {
    if (units < 1) {
      throw new IllegalArgumentException("dense layer needs at least 1 unit, got " + units);
    }
  }

  @Override
  public String toText() {
    return "dense(" + units + ", " + activation.textName() + ")";
  }

  @Override
  public long[] outputShape(long[] inputShape) {
    return new long[] {units};
  }

  @Override
  public long parameterCount(long[] inputShape) {
    long inputs = 1;
    for (long size : inputShape) {
      inputs *= size;
    }
    return inputs * units + units;
  }

  @Override
  public Layer toDl4j() {
    return new DenseLayer.Builder().nOut(units).activation(activation.dl4j()).build();
  }
}
