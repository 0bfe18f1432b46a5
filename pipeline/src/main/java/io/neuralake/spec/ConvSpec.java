package io.neuralake.spec;

import io.neuralake.layers.GemmConvolution;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;

/**
 * A 2-D convolution over a (channels, height, width) input with square kernels.
 *
 * @param filters output channels, &ge; 1
 * @param kernel kernel height and width, &ge; 1
 * @param stride step between windows, &ge; 1
 * @param padding border handling
 * @param activation the activation applied to the outputs
 */
public record ConvSpec(int filters, int kernel, int stride, Padding padding, Activation activation)
    implements LayerSpec {

  public ConvSpec {
    Shapes.requirePositive("conv filters", filters);
    Shapes.requirePositive("conv kernel", kernel);
    Shapes.requirePositive("conv stride", stride);
  }

  @Override
  public String toText() {
    return "conv(" + filters + ", " + kernel + ", stride=" + stride + ", padding=" + padding.toText() + ", "
        + activation.textName() + ")";
  }

  @Override
  public long[] outputShape(long[] inputShape) {
    long[] in = Shapes.requireImage("conv", inputShape);
    return new long[] {filters, Shapes.window("conv", in[1], kernel, stride, padding),
        Shapes.window("conv", in[2], kernel, stride, padding)};
  }

  @Override
  public long parameterCount(long[] inputShape) {
    return (long) kernel * kernel * inputShape[0] * filters + filters;
  }

  @Override
  public Layer toDl4j(long[] inputShape) {
    return GemmConvolution.of(new ConvolutionLayer.Builder(kernel, kernel).stride(stride, stride)
        .padding(padding.size(), padding.size()).convolutionMode(padding.mode()).nOut(filters)
        .activation(activation.dl4j()));
  }
}
