package io.neuralake.layers;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Collection;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's fully connected layer (the same parameters, initialization, JSON fields and arithmetic as
 * {@link DenseLayer}) whose runtime, {@link ForwardCachingDenseLayer}, keeps the forward pass's
 * pre-activations for backprop instead of computing them again, and computes the gradient with
 * respect to its input only where {@link #isInputGradient()} asks for it.
 */
public final class ForwardCachingDense extends DenseLayer {

  private static final long serialVersionUID = 1L;

  private boolean inputGradient = true;

  /** For JSON. */
  public ForwardCachingDense() {}

  /** The layer that {@code builder} describes, with every field that {@link DenseLayer.Builder#build()} sets. */
  public static ForwardCachingDense of(DenseLayer.Builder builder) {
    DenseLayer built = builder.build();
    ForwardCachingDense layer = new ForwardCachingDense();
    try {
      for (Class<?> type = DenseLayer.class; type != Object.class; type = type.getSuperclass()) {
        for (Field field : type.getDeclaredFields()) {
          if (!Modifier.isStatic(field.getModifiers())) {
            field.setAccessible(true);
            field.set(layer, field.get(built));
          }
        }
      }
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("cannot copy DL4J's dense layer configuration", e);
    }
    return layer;
  }

  /**
   * Whether backprop computes the gradient with respect to the layer's input (default true). The
   * first layer of a network that is only fitted does not need it, which saves a third of its
   * GEMM work; a network whose input gradient is used (a GAN's discriminator) needs it.
   */
  public boolean isInputGradient() {
    return inputGradient;
  }

  /** Sets {@link #isInputGradient()}. */
  public void setInputGradient(boolean inputGradient) {
    this.inputGradient = inputGradient;
  }

  @Override
  public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                           INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
    LayerValidation.assertNInNOutSet("ForwardCachingDense", getLayerName(), layerIndex, getNIn(), getNOut());
    return LayerWiring.wire(new ForwardCachingDenseLayer(conf, networkDataType), conf, listeners, layerIndex,
        layerParamsView, initializeParams, initializer());
  }
}
