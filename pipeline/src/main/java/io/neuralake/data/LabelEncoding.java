package io.neuralake.data;

import java.io.Serializable;

/**
 * How a label column's double value becomes the network's target values.
 *
 * @param classes the number of classes for one-hot encoding, or 0 for a numeric target
 */
public record LabelEncoding(int classes) implements Serializable {

  /** One-hot over {@code classes} classes; labels must be whole numbers in [0, classes). */
  public static LabelEncoding oneHot(int classes) {
    return new LabelEncoding(classes);
  }

  /** The label value itself, as one output. */
  public static LabelEncoding numeric() {
    return new LabelEncoding(0);
  }

  /** Values per example. */
  public int width() {
    return classes > 0 ? classes : 1;
  }

  /** Writes the encoding of {@code label} at {@code offset}; the column name goes into errors. */
  void encode(double label, float[] target, int offset, String column) {
    if (Double.isNaN(label) || Double.isInfinite(label)) {
      throw new IllegalArgumentException("label column '" + column + "' holds " + label
          + "; drop or impute such rows before fitting");
    }
    if (classes == 0) {
      target[offset] = (float) label;
      return;
    }
    int index = (int) label;
    if (index != label || index < 0 || index >= classes) {
      throw new IllegalArgumentException("label column '" + column + "' holds " + label
          + " but labels must be whole numbers in [0, " + classes + "); index string labels with StringIndexer");
    }
    target[offset + index] = 1f;
  }
}
