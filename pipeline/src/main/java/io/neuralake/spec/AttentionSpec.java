package io.neuralake.spec;

import io.neuralake.layers.MultiHeadAttentionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;

/**
 * Multi-head scaled dot-product self-attention over a (timesteps, features) input.
 *
 * @param heads attention heads, &ge; 1, dividing {@code size}
 * @param size values per step written by the output projection, &ge; 1
 */
public record AttentionSpec(int heads, int size) implements LayerSpec {

  public AttentionSpec {
    Shapes.requirePositive("attention heads", heads);
    Shapes.requirePositive("attention size", size);
    if (size % heads != 0) {
      throw new IllegalArgumentException("attention size " + size + " must be a multiple of its " + heads + " heads");
    }
  }

  @Override
  public String toText() {
    return "attention(" + heads + ", " + size + ")";
  }

  @Override
  public long[] outputShape(long[] inputShape) {
    return new long[] {Shapes.requireSequence("attention", inputShape)[0], size};
  }

  /** Query, key and value projections from the input, and the output projection. */
  @Override
  public long parameterCount(long[] inputShape) {
    return 3L * inputShape[1] * size + (long) size * size;
  }

  @Override
  public Layer toDl4j(long[] inputShape) {
    return new MultiHeadAttentionLayer(heads, size);
  }
}
