package io.neuralake.spec;

import java.util.Arrays;

import io.neuralake.layers.ForwardCachingDense;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.recurrent.TimeDistributed;

/**
 * A fully connected layer; on a sequence it applies to each step with shared weights.
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
    return inputShape.length == 2 ? new long[] {inputShape[0], units} : new long[] {units};
  }

  @Override
  public long parameterCount(long[] inputShape) {
    long inputs = inputShape.length == 2 ? inputShape[1] : Arrays.stream(inputShape).reduce(1, Math::multiplyExact);
    return inputs * units + units;
  }

  @Override
  public Layer toDl4j(long[] inputShape) {
    Layer dense = ForwardCachingDense.of(new DenseLayer.Builder().nOut(units).activation(activation.dl4j()));
    return inputShape.length == 2 ? new TimeDistributed(dense, RNNFormat.NCW) : dense;
  }
}
