package io.neuralake.layers;

import java.util.Collection;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's 2-D convolution layer (the same parameters, initialization, JSON fields and arithmetic as
 * {@link ConvolutionLayer}) with a faster CPU runtime, {@link GemmConvolutionLayer}: its forward
 * and backward passes are a Java image-to-column copy and one GEMM each.
 */
public final class GemmConvolution extends ConvolutionLayer {

  private static final long serialVersionUID = 1L;

  /** For JSON. */
  public GemmConvolution() {}

  private GemmConvolution(ConvolutionLayer.Builder builder) {
    super(builder);
  }

  /** The layer that {@code builder} describes, checked as {@link ConvolutionLayer.Builder#build()} checks it. */
  public static GemmConvolution of(ConvolutionLayer.Builder builder) {
    builder.build();
    return new GemmConvolution(builder);
  }

  @Override
  public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                           INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
    LayerValidation.assertNInNOutSet("GemmConvolution", getLayerName(), layerIndex, getNIn(), getNOut());
    return LayerWiring.wire(new GemmConvolutionLayer(conf, networkDataType), conf, listeners, layerIndex,
        layerParamsView, initializeParams, initializer());
  }
}
