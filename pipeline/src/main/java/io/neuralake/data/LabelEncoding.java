package io.neuralake.data;

import java.io.Serializable;

/**
 * How a label column's double value becomes the network's target values.
 *
 * @param classes the number of classes, or 0 for a numeric target
 * @param oneHot whether a class label becomes {@code classes} one-hot values (else its index, as one value)
 */
public record LabelEncoding(int classes, boolean oneHot) implements Serializable {

  /** One-hot over {@code classes} classes; labels must be whole numbers in [0, classes). */
  public static LabelEncoding oneHot(int classes) {
    return new LabelEncoding(classes, true);
  }

  /** The class index itself as one value; labels must be whole numbers in [0, classes). */
  public static LabelEncoding index(int classes) {
    return new LabelEncoding(classes, false);
  }

  /** The label value itself, as one output. */
  public static LabelEncoding numeric() {
    return new LabelEncoding(0, false);
  }

  /** Values per example. */
  public int width() {
    return oneHot ? classes : 1;
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
    if (oneHot) {
      target[offset + index] = 1f;
    } else {
      target[offset] = index;
    }
  }
}
