package io.neuralake.spec;

import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.PoolingType;

/**
 * Max or average over all positions of each channel, (channels, height, width) becoming (channels),
 * or over all steps of a sequence, (timesteps, features) becoming (features).
 *
 * @param max max pooling when true, average pooling when false
 */
public record GlobalPoolSpec(boolean max) implements LayerSpec {

  @Override
  public String toText() {
    return "globalpool(" + (max ? "max" : "avg") + ")";
  }

  @Override
  public long[] outputShape(long[] inputShape) {
    return inputShape.length == 2 ? new long[] {inputShape[1]}
        : new long[] {Shapes.requireImage("globalpool", inputShape)[0]};
  }

  @Override
  public long parameterCount(long[] inputShape) {
    return 0;
  }

  @Override
  public Layer toDl4j(long[] inputShape) {
    return new GlobalPoolingLayer.Builder(max ? PoolingType.MAX : PoolingType.AVG).build();
  }
}
