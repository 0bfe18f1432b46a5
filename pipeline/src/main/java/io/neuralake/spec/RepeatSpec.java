package io.neuralake.spec;

import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.misc.RepeatVector;

/**
 * Repeats a vector as every step of a sequence, (features) becoming (times, features): the bridge
 * from an encoder's final state to a decoder in an encoder–decoder network.
 *
 * @param times the number of steps, &ge; 1
 */
public record RepeatSpec(int times) implements LayerSpec {

  public RepeatSpec {
    Shapes.requirePositive("repeat times", times);
  }

  @Override
  public String toText() {
    return "repeat(" + times + ")";
  }

  @Override
  public long[] outputShape(long[] inputShape) {
    if (inputShape.length != 1) {
      throw new IllegalArgumentException("repeat needs a vector input (features) but gets "
          + java.util.Arrays.toString(inputShape) + "; put it after a recurrent layer's final state or laststep()");
    }
    return new long[] {times, inputShape[0]};
  }

  @Override
  public long parameterCount(long[] inputShape) {
    return 0;
  }

  @Override
  public Layer toDl4j(long[] inputShape) {
    return new RepeatVector.Builder(times).dataFormat(RNNFormat.NCW).build();
  }
}
