package io.neuralake.train;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The metric reported on validation data alongside the loss. */
public enum ValidationMetric {
  /** Share of examples whose most probable class is the label; for per-step outputs, of steps. */
  ACCURACY,
  /** Root mean squared error of the first output. */
  RMSE;

  /** The metric's contribution of one batch, to be summed over batches. */
  double batchSum(INDArray output, INDArray labels) {
    return switch (this) {
      case ACCURACY -> {
        double hits = predictedClass(output).eq(actualClass(labels)).castTo(DataType.DOUBLE).sumNumber().doubleValue();
        // Per-step outputs [rows, classes, steps]: each example counts as its share of right steps.
        yield output.rank() == 3 ? hits / output.size(2) : hits;
      }
      case RMSE -> {
        INDArray error = output.sub(labels);
        yield error.mul(error).sumNumber().doubleValue();
      }
    };
  }

  /** The class of each row (and step): the most probable one, or for one sigmoid output, 1 above 0.5. */
  private static INDArray predictedClass(INDArray output) {
    INDArray classes = output.size(1) == 1 ? output.gt(0.5) : Nd4j.argMax(output, 1);
    return classes.castTo(DataType.DOUBLE).reshape(output.size(0), -1);
  }

  /** The class of each label row (and step): one-hot or the index itself. */
  private static INDArray actualClass(INDArray labels) {
    INDArray classes = labels.size(1) == 1 ? labels : Nd4j.argMax(labels, 1);
    return classes.castTo(DataType.DOUBLE).reshape(labels.size(0), -1);
  }

  /** The metric from the summed contributions of {@code examples} examples. */
  double finish(double sum, long examples) {
    return switch (this) {
      case ACCURACY -> sum / examples;
      case RMSE -> Math.sqrt(sum / examples);
    };
  }

  /** The lower-case name used in history columns. */
  public String columnName() {
    return "validation_" + name().toLowerCase();
  }
}
