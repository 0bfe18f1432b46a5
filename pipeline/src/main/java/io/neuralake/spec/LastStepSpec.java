package io.neuralake.spec;

import io.neuralake.layers.LastStepLayer;
import org.deeplearning4j.nn.conf.layers.Layer;

/** Keeps the last step of a sequence: (timesteps, features) becomes (features). */
public record LastStepSpec() implements LayerSpec {

  @Override
  public String toText() {
    return "laststep()";
  }

  @Override
  public long[] outputShape(long[] inputShape) {
    return new long[] {Shapes.requireSequence("laststep", inputShape)[1]};
  }

  @Override
  public long parameterCount(long[] inputShape) {
    return 0;
  }

  @Override
  public Layer toDl4j(long[] inputShape) {
    return new LastStepLayer();
  }
}
