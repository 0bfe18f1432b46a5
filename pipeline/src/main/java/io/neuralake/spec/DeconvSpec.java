package io.neuralake.spec;

import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.Layer;

/**
 * A 2-D transposed convolution ("deconvolution"), the inverse shape map of a convolution:
 * {@code O = s(I − 1) + K − 2p}, or {@code O = s·I} with {@code same} padding.
 *
 * @param filters output channels, &ge; 1
 * @param kernel kernel height and width, &ge; 1
 * @param stride upsampling step, &ge; 1
 * @param padding border handling
 * @param activation the activation applied to the outputs
 */
public record DeconvSpec(int filters, int kernel, int stride, Padding padding, Activation activation)
    implements LayerSpec {

  public DeconvSpec {
    Shapes.requirePositive("deconv filters", filters);
    Shapes.requirePositive("deconv kernel", kernel);
    Shapes.requirePositive("deconv stride", stride);
  }

  @Override
  public String toText() {
    return "deconv(" + filters + ", " + kernel + ", stride=" + stride + ", padding=" + padding.toText() + ", "
        + activation.textName() + ")";
  }

  @Override
  public long[] outputShape(long[] inputShape) {
    long[] in = Shapes.requireImage("deconv", inputShape);
    return new long[] {filters, size(in[1]), size(in[2])};
  }

  private long size(long in) {
    return padding.isSame() ? in * stride : stride * (in - 1) + kernel - 2L * padding.size();
  }

  @Override
  public long parameterCount(long[] inputShape) {
    return (long) kernel * kernel * inputShape[0] * filters + filters;
  }

  @Override
  public Layer toDl4j(long[] inputShape) {
    return new Deconvolution2D.Builder(kernel, kernel).stride(stride, stride).padding(padding.size(), padding.size())
        .convolutionMode(padding.mode()).nOut(filters).activation(activation.dl4j()).build();
  }
}
