package io.neuralake.spec;

import java.util.Arrays;

/** Shape checks shared by the layer specs; their errors name the layer and the fix. */
final class Shapes {

  private Shapes() {}

  static void requirePositive(String what, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(what + " must be >= 1, got " + value);
    }
  }

  /** The input as (channels, height, width), or an error for a flat input. */
  static long[] requireImage(String layer, long[] inputShape) {
    if (inputShape.length != 3) {
      throw new IllegalArgumentException(layer + " needs an image input (channels, height, width) but gets "
          + Arrays.toString(inputShape) + "; set inputShape on the estimator or put the shape in the features "
          + "column's metadata, and put image layers before dense ones");
    }
    return inputShape;
  }

  /** The input as (timesteps, features), or an error for any other shape. */
  static long[] requireSequence(String layer, long[] inputShape) {
    if (inputShape.length != 2) {
      throw new IllegalArgumentException(layer + " needs a sequence input (timesteps, features) but gets "
          + Arrays.toString(inputShape) + "; set inputShape to [timesteps, features] or put the shape in the features "
          + "column's metadata (SequenceAssembler does), and keep sequence layers before flat ones");
    }
    return inputShape;
  }

  /** Output positions of a window along one axis, or an error when the window does not fit. */
  static long window(String layer, long in, int kernel, int stride, Padding padding) {
    if (!padding.isSame() && kernel > in + 2L * padding.size()) {
      throw new IllegalArgumentException(layer + " kernel " + kernel + " is larger than its input of " + in
          + (padding.size() > 0 ? " plus padding " + padding.size() + " on each side" : "")
          + "; use a smaller kernel, more padding or padding=same");
    }
    return padding.outputSize(in, kernel, stride);
  }
}
