package io.neuralake.layers;

import java.util.Map;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Adds a position code to every step of a sequence, so that attention, which is blind to order,
 * can tell steps apart: the fixed sinusoids of Vaswani et al. (2017),
 * PE(t, 2i) = sin(t / 10000^(2i/d)) and PE(t, 2i+1) = cos(t / 10000^(2i/d)), or a learned
 * code per step and feature.
 */
public final class PositionalEncodingLayer extends SequenceLayer {

  private static final long serialVersionUID = 1L;
  private static final String CODE = "P";
  private static final double LEARNED_INIT_STD = 0.02;

  @JsonProperty
  private boolean learned;

  private PositionalEncodingLayer() {
    // for JSON
  }

  /** Learned codes when {@code learned}, else sinusoids. */
  public PositionalEncodingLayer(boolean learned) {
    this.learned = learned;
  }

  @Override
  String kind() {
    return "posenc";
  }

  @Override
  public InputType getOutputType(int layerIndex, InputType inputType) {
    return sequence(inputType);
  }

  @Override
  public void defineParameters(SDLayerParams params) {
    params.clear();
    if (learned) {
      params.addWeightParam(CODE, 1, inputSize(), timesteps());
    }
  }

  @Override
  public void initializeParameters(Map<String, INDArray> params) {
    if (learned) {
      params.get(CODE).assign(Nd4j.randn(params.get(CODE).dataType(), 1, inputSize(), timesteps()).muli(LEARNED_INIT_STD));
    }
  }

  @Override
  public SDVariable defineLayer(SameDiff sd, SDVariable input, Map<String, SDVariable> params, SDVariable mask) {
    return input.add(learned ? params.get(CODE) : sd.constant(sinusoids(input.dataType())));
  }

  /** The fixed code {@code [1, width, timesteps]}. */
  private INDArray sinusoids(DataType dataType) {
    long width = inputSize();
    INDArray code = Nd4j.create(dataType, 1, width, timesteps());
    for (long t = 0; t < timesteps(); t++) {
      for (long i = 0; i < width; i++) {
        double angle = t / Math.pow(10_000, (double) (i - i % 2) / width);
        code.putScalar(new long[] {0, i, t}, i % 2 == 0 ? Math.sin(angle) : Math.cos(angle));
      }
    }
    return code;
  }
}
