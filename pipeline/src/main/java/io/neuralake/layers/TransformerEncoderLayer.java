package io.neuralake.layers;

import java.util.Map;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * One transformer encoder block (Vaswani et al. 2017, post-norm): multi-head self-attention with
 * a residual connection and layer normalization, then a position-wise feed-forward network (ReLU)
 * with a residual connection and layer normalization. Steps keep their width, the model size.
 */
public final class TransformerEncoderLayer extends SequenceLayer {

  private static final long serialVersionUID = 1L;
  private static final String ATTENTION = "attention";

  @JsonProperty
  private int heads;
  @JsonProperty
  private int feedForward;

  private TransformerEncoderLayer() {
    // for JSON
  }

  /** A block with {@code heads} attention heads and a hidden feed-forward layer of {@code feedForward} units. */
  public TransformerEncoderLayer(int heads, int feedForward) {
    this.heads = heads;
    this.feedForward = feedForward;
  }

  @Override
  String kind() {
    return "transformer";
  }

  @Override
  public InputType getOutputType(int layerIndex, InputType inputType) {
    return sequence(inputType);
  }

  @Override
  public void defineParameters(SDLayerParams params) {
    long width = inputSize();
    params.clear();
    int size = Math.toIntExact(width);
    AttentionWeights.define(params, ATTENTION, heads, size, width);
    params.addWeightParam("norm1Gain", width);
    params.addBiasParam("norm1Bias", width);
    params.addWeightParam("feedForwardW1", width, feedForward);
    params.addBiasParam("feedForwardB1", 1, feedForward);
    params.addWeightParam("feedForwardW2", feedForward, width);
    params.addBiasParam("feedForwardB2", 1, width);
    params.addWeightParam("norm2Gain", width);
    params.addBiasParam("norm2Bias", width);
  }

  @Override
  public void initializeParameters(Map<String, INDArray> params) {
    long width = inputSize();
    IWeightInit weights = weightInit();
    AttentionWeights.initialize(params, ATTENTION, weights, Math.toIntExact(width), width);
    INDArray w1 = params.get("feedForwardW1");
    weights.init(width, feedForward, w1.shape(), 'c', w1);
    INDArray w2 = params.get("feedForwardW2");
    weights.init(feedForward, width, w2.shape(), 'c', w2);
    params.get("feedForwardB1").assign(0);
    params.get("feedForwardB2").assign(0);
    params.get("norm1Gain").assign(1);
    params.get("norm1Bias").assign(0);
    params.get("norm2Gain").assign(1);
    params.get("norm2Bias").assign(0);
  }

  @Override
  public SDVariable defineLayer(SameDiff sd, SDVariable input, Map<String, SDVariable> params, SDVariable mask) {
    long width = inputSize();
    SDVariable attended = input.add(AttentionWeights.attend(sd, input, params, ATTENTION, mask));
    SDVariable normed = sd.nn.layerNorm(attended, params.get("norm1Gain"), params.get("norm1Bias"), true, 1);
    // Position-wise feed-forward: every step of every example as one row.
    SDVariable rows = normed.permute(0, 2, 1).reshape(-1, width);
    SDVariable hidden = sd.nn.relu(rows.mmul(params.get("feedForwardW1")).add(params.get("feedForwardB1")), 0);
    SDVariable out = hidden.mmul(params.get("feedForwardW2")).add(params.get("feedForwardB2"));
    SDVariable fed = normed.add(out.reshape(-1, timesteps(), width).permute(0, 2, 1));
    return sd.nn.layerNorm(fed, params.get("norm2Gain"), params.get("norm2Bias"), true, 1);
  }
}
