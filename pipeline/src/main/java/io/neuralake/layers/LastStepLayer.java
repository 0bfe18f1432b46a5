package io.neuralake.layers;

import java.util.Collection;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLambdaLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/** Keeps only the last step of a sequence: {@code [batch, size, timesteps]} to {@code [batch, size]}. */
public final class LastStepLayer extends SameDiffLambdaLayer {

  private static final long serialVersionUID = 1L;

  @JsonProperty
  private long timesteps;

  /** A last-step layer; the number of steps comes from the input type. */
  public LastStepLayer() {
    // also for JSON
  }

  @Override
  public void setNIn(InputType inputType, boolean override) {
    timesteps = SequenceShape.of("laststep layer " + getLayerName(), inputType).getTimeSeriesLength();
  }

  @Override
  public InputType getOutputType(int layerIndex, InputType inputType) {
    return InputType.feedForward(SequenceShape.of("laststep layer " + getLayerName(), inputType).getSize());
  }

  @Override
  public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
                                                     Collection<TrainingListener> listeners, int index,
                                                     INDArray paramsView, boolean initializeParams,
                                                     DataType dataType) {
    return SameDiffRuntime.create(conf, listeners, index, paramsView, initializeParams, dataType);
  }

  @Override
  public SDVariable defineLayer(SameDiff sd, SDVariable input) {
    return input.get(SDIndex.all(), SDIndex.all(), SDIndex.point(timesteps - 1));
  }
}
