package io.neuralake.spec;

import io.neuralake.layers.PositionalEncodingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;

/**
 * Adds a position code to each step of a sequence: fixed sinusoids or learned values.
 *
 * @param learned learned codes when true, sinusoids when false
 */
public record PosEncSpec(boolean learned) implements LayerSpec {

  @Override
  public String toText() {
    return "posenc(" + (learned ? "learned" : "sinusoidal") + ")";
  }

  @Override
  public long[] outputShape(long[] inputShape) {
    return Shapes.requireSequence("posenc", inputShape).clone();
  }

  @Override
  public long parameterCount(long[] inputShape) {
    return learned ? inputShape[0] * inputShape[1] : 0;
  }

  @Override
  public Layer toDl4j(long[] inputShape) {
    return new PositionalEncodingLayer(learned);
  }
}
