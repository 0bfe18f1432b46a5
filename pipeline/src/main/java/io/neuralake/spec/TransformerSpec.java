package io.neuralake.spec;

import io.neuralake.layers.TransformerEncoderLayer;
import org.deeplearning4j.nn.conf.layers.Layer;

/**
 * A transformer encoder block: multi-head self-attention and a position-wise feed-forward network,
 * each with a residual connection and layer normalization. Steps keep their width, which the
 * heads must divide.
 *
 * @param heads attention heads, &ge; 1
 * @param feedForward hidden units of the feed-forward network, &ge; 1
 */
public record TransformerSpec(int heads, int feedForward) implements LayerSpec {

  public TransformerSpec {
    Shapes.requirePositive("transformer heads", heads);
    Shapes.requirePositive("transformer feed-forward units", feedForward);
  }

  @Override
  public String toText() {
    return "transformer(" + heads + ", " + feedForward + ")";
  }

  @Override
  public long[] outputShape(long[] inputShape) {
    long[] in = Shapes.requireSequence("transformer", inputShape);
    if (in[1] % heads != 0) {
      throw new IllegalArgumentException("transformer steps have " + in[1] + " features, not a multiple of its "
          + heads + " heads; project them first, e.g. with dense(" + heads * Math.max(1, in[1] / heads) + ")");
    }
    return in.clone();
  }

  /** Attention (4 d² projections), two layer norms (2 × 2d) and the feed-forward network. */
  @Override
  public long parameterCount(long[] inputShape) {
    long d = inputShape[1];
    return 4 * d * d + 4 * d + d * feedForward + feedForward + (long) feedForward * d + d;
  }

  @Override
  public Layer toDl4j(long[] inputShape) {
    return new TransformerEncoderLayer(heads, feedForward);
  }
}
