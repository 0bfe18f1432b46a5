package io.neuralake.layers;

import java.util.Collection;

import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.InputTypeUtil;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLayer;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInitXavier;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * The base of our SameDiff layers over sequences in DL4J's layout {@code [batch, size, timesteps]}:
 * they learn their input size and number of steps from the input type, take the network's weight
 * init, run on {@link SameDiffRuntime}, and name themselves in shape errors.
 */
abstract class SequenceLayer extends SameDiffLayer {

  private static final long serialVersionUID = 1L;

  @JsonProperty
  private IWeightInit init;
  @JsonProperty
  private long inputSize;
  @JsonProperty
  private long timesteps;

  /** The kind in error messages, e.g. {@code lstm}. */
  abstract String kind();

  /** The recurrent input type, or an error naming this layer. */
  InputType.InputTypeRecurrent sequence(InputType inputType) {
    if (!(inputType instanceof InputType.InputTypeRecurrent recurrent) || recurrent.getTimeSeriesLength() <= 0) {
      throw new IllegalArgumentException(kind() + " layer " + getLayerName()
          + " needs a sequence input with a known number of steps, got " + inputType);
    }
    return recurrent;
  }

  @Override
  public void setNIn(InputType inputType, boolean override) {
    InputType.InputTypeRecurrent in = sequence(inputType);
    inputSize = in.getSize();
    timesteps = in.getTimeSeriesLength();
  }

  /** Values per input step. */
  long inputSize() {
    return inputSize;
  }

  /** Steps per sequence. */
  long timesteps() {
    return timesteps;
  }

  /** The network's weight init, Xavier when it has none. */
  IWeightInit weightInit() {
    return init == null ? new WeightInitXavier() : init;
  }

  @Override
  public void applyGlobalConfigToLayer(NeuralNetConfiguration.Builder globalConfig) {
    if (init == null) {
      init = globalConfig.getWeightInitFn();
    }
  }

  @Override
  public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
    return InputTypeUtil.getPreprocessorForInputTypeRnnLayers(inputType, RNNFormat.NCW, getLayerName());
  }

  @Override
  public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
                                                     Collection<TrainingListener> listeners, int index,
                                                     INDArray paramsView, boolean initializeParams,
                                                     DataType dataType) {
    return SameDiffRuntime.create(conf, listeners, index, paramsView, initializeParams, dataType);
  }
}
