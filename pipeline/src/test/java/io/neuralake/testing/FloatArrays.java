package io.neuralake.testing;

/** Float arrays for tests: made from a range, and compared, such as flat parameters. */
public final class FloatArrays {

  private FloatArrays() {}

  /** {@code count} values counting up from {@code from}. */
  public static float[] range(int from, int count) {
    float[] values = new float[count];
    for (int i = 0; i < count; i++) {
      values[i] = from + i;
    }
    return values;
  }

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
