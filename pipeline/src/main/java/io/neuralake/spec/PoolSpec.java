package io.neuralake.spec;

import io.neuralake.layers.VectorizedPooling;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;

/**
 * Max or average pooling over square windows; channels are kept.
 *
 * @param max max pooling when true, average pooling when false
 * @param kernel window height and width, &ge; 1
 * @param stride step between windows, &ge; 1
 * @param padding border handling
 */
public record PoolSpec(boolean max, int kernel, int stride, Padding padding) implements LayerSpec {

  public PoolSpec {
    Shapes.requirePositive("pool kernel", kernel);
    Shapes.requirePositive("pool stride", stride);
  }

  @Override
  public String toText() {
    return "pool(" + (max ? "max" : "avg") + ", " + kernel + ", stride=" + stride + ", padding=" + padding.toText() + ")";
  }

  @Override
  public long[] outputShape(long[] inputShape) {
    long[] in = Shapes.requireImage("pool", inputShape);
    return new long[] {in[0], Shapes.window("pool", in[1], kernel, stride, padding),
        Shapes.window("pool", in[2], kernel, stride, padding)};
  }

  @Override
  public long parameterCount(long[] inputShape) {
    return 0;
  }

  @Override
  public Layer toDl4j(long[] inputShape) {
    return VectorizedPooling.of(new SubsamplingLayer.Builder(max ? PoolingType.MAX : PoolingType.AVG)
        .kernelSize(kernel, kernel).stride(stride, stride).padding(padding.size(), padding.size())
        .convolutionMode(padding.mode()));
  }
}
