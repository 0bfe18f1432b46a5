package io.neuralake.layers;

import java.util.Map;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Multi-head scaled dot-product self-attention over a sequence (Vaswani et al. 2017): each head
 * projects every step to a query, key and value of {@code size / heads} values, attends with
 * softmax(QKᵀ/√d)·V, and an output projection maps the concatenated heads to {@code size} values
 * per step. With one head it is plain dot-product self-attention with learned projections.
 */
public final class MultiHeadAttentionLayer extends SequenceLayer {

  private static final long serialVersionUID = 1L;

  @JsonProperty
  private int heads;
  @JsonProperty
  private int size;

  private MultiHeadAttentionLayer() {
    // for JSON
  }

  /** Attention with {@code heads} heads writing {@code size} values per step; {@code heads} must divide {@code size}. */
  public MultiHeadAttentionLayer(int heads, int size) {
    this.heads = heads;
    this.size = size;
  }

  @Override
  String kind() {
    return "attention";
  }

  @Override
  public InputType getOutputType(int layerIndex, InputType inputType) {
    return InputType.recurrent(size, sequence(inputType).getTimeSeriesLength());
  }

  @Override
  public void defineParameters(SDLayerParams params) {
    params.clear();
    AttentionWeights.define(params, "", heads, size, inputSize());
  }

  @Override
  public void initializeParameters(Map<String, INDArray> params) {
    AttentionWeights.initialize(params, "", weightInit(), size, inputSize());
  }

  @Override
  public SDVariable defineLayer(SameDiff sd, SDVariable input, Map<String, SDVariable> params, SDVariable mask) {
    return AttentionWeights.attend(sd, input, params, "", mask);
  }
}
