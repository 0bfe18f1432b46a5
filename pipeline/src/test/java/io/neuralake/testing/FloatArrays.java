package io.neuralake.testing;

/** Comparisons of float arrays, such as flat parameters, for tests. */
public final class FloatArrays {

  private FloatArrays() {}

  /** The largest absolute difference between elements of {@code a} and {@code b} at the same index. */
  public static double maxAbsDifference(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("arrays of " + a.length + " and " + b.length + " values");
    }
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }
}
