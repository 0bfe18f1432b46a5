package io.neuralake.layers;

import java.util.Collection;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's 2-D pooling layer (the same JSON fields and arithmetic as {@link SubsamplingLayer}) whose
 * runtime, {@link VectorizedPoolingLayer}, runs max pooling as Java loops on the CPU.
 */
public final class VectorizedPooling extends SubsamplingLayer {

  private static final long serialVersionUID = 1L;

  /** For JSON. */
  public VectorizedPooling() {}

  private VectorizedPooling(SubsamplingLayer.Builder builder) {
    super(builder);
  }

  /** The layer that {@code builder} describes, checked as {@link SubsamplingLayer.Builder#build()} checks it. */
  public static VectorizedPooling of(SubsamplingLayer.Builder builder) {
    builder.build();
    return new VectorizedPooling(builder);
  }

  @Override
  public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                           INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
    return LayerWiring.wire(new VectorizedPoolingLayer(conf, networkDataType), conf, listeners, layerIndex,
        layerParamsView, initializeParams, initializer());
  }
}
