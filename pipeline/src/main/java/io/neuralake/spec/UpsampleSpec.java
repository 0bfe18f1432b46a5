package io.neuralake.spec;

import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;

/**
 * Nearest-neighbour upsampling: each position is repeated {@code size} times along height and width.
 *
 * @param size the repeat factor, &ge; 1
 */
public record UpsampleSpec(int size) implements LayerSpec {

  public UpsampleSpec {
    Shapes.requirePositive("upsample size", size);
  }

  @Override
  public String toText() {
    return "upsample(" + size + ")";
  }

  @Override
  public long[] outputShape(long[] inputShape) {
    long[] in = Shapes.requireImage("upsample", inputShape);
    return new long[] {in[0], in[1] * size, in[2] * size};
  }

  @Override
  public long parameterCount(long[] inputShape) {
    return 0;
  }

  @Override
  public Layer toDl4j(long[] inputShape) {
    return new Upsampling2D.Builder(size).build();
  }
}
