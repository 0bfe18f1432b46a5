package io.neuralake.layers;

import java.util.Collection;
import java.util.Map;

import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.InputTypeUtil;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLayer;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInitXavier;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Multi-head scaled dot-product self-attention over a sequence (Vaswani et al. 2017): each head
 * projects every step to a query, key and value of {@code size / heads} values, attends with
 * softmax(QKᵀ/√d)·V, and an output projection maps the concatenated heads to {@code size} values
 * per step. With one head it is plain dot-product self-attention with learned projections.
 */
public final class MultiHeadAttentionLayer extends SameDiffLayer {

  private static final long serialVersionUID = 1L;

  @JsonProperty
  private int heads;
  @JsonProperty
  private int size;
  @JsonProperty
  private long inputSize;
  @JsonProperty
  private IWeightInit init;

  private MultiHeadAttentionLayer() {
    // for JSON
  }

  /** Attention with {@code heads} heads writing {@code size} values per step; {@code heads} must divide {@code size}. */
  public MultiHeadAttentionLayer(int heads, int size) {
    this.heads = heads;
    this.size = size;
  }

  @Override
  public void setNIn(InputType inputType, boolean override) {
    long in = SequenceShape.of("attention layer " + getLayerName(), inputType).getSize();
    if (inputSize <= 0 || override) {
      inputSize = in;
    }
  }

  @Override
  public InputType getOutputType(int layerIndex, InputType inputType) {
    return InputType.recurrent(size, SequenceShape.of("attention layer " + getLayerName(), inputType)
        .getTimeSeriesLength());
  }

  @Override
  public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
    return InputTypeUtil.getPreprocessorForInputTypeRnnLayers(inputType, RNNFormat.NCW, getLayerName());
  }

  @Override
  public void applyGlobalConfigToLayer(NeuralNetConfiguration.Builder globalConfig) {
    if (init == null) {
      init = globalConfig.getWeightInitFn();
    }
  }

  @Override
  public void defineParameters(SDLayerParams params) {
    params.clear();
    AttentionWeights.define(params, "", heads, size, inputSize);
  }

  @Override
  public void initializeParameters(Map<String, INDArray> params) {
    AttentionWeights.initialize(params, "", init == null ? new WeightInitXavier() : init, size, inputSize);
  }

  @Override
  public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
                                                     Collection<TrainingListener> listeners, int index,
                                                     INDArray paramsView, boolean initializeParams,
                                                     DataType dataType) {
    return SameDiffRuntime.create(conf, listeners, index, paramsView, initializeParams, dataType);
  }

  @Override
  public SDVariable defineLayer(SameDiff sd, SDVariable input, Map<String, SDVariable> params, SDVariable mask) {
    return AttentionWeights.attend(sd, input, params, "", mask);
  }
}
