package io.neuralake.layers;

import java.util.Map;

import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The projections of multi-head self-attention, shared by the attention and transformer layers. */
final class AttentionWeights {

  private static final String[] PROJECTIONS = {"Wq", "Wk", "Wv"};
  private static final String OUTPUT = "Wo";

  private AttentionWeights() {}

  /** Query, key and value projections {@code [heads, size/heads, in]} and the output one {@code [size, size]}. */
  static void define(SDLayerParams params, String prefix, int heads, int size, long inputSize) {
    for (String name : PROJECTIONS) {
      params.addWeightParam(prefix + name, heads, size / heads, inputSize);
    }
    params.addWeightParam(prefix + OUTPUT, size, size);
  }

  static void initialize(Map<String, INDArray> params, String prefix, IWeightInit init, int size, long inputSize) {
    for (String name : PROJECTIONS) {
      INDArray w = params.get(prefix + name);
      init.init(inputSize, size, w.shape(), 'c', w);
    }
    INDArray wo = params.get(prefix + OUTPUT);
    init.init(size, size, wo.shape(), 'c', wo);
  }

  /** Self-attention of {@code input} {@code [batch, in, steps]}: {@code [batch, size, steps]}. */
  static SDVariable attend(SameDiff sd, SDVariable input, Map<String, SDVariable> params, String prefix,
                           SDVariable mask) {
    return sd.nn.multiHeadDotProductAttention(input, input, input, params.get(prefix + PROJECTIONS[0]),
        params.get(prefix + PROJECTIONS[1]), params.get(prefix + PROJECTIONS[2]), params.get(prefix + OUTPUT),
        mask, true);
  }
}
