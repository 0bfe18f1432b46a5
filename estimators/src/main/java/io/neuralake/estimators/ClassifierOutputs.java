package io.neuralake.estimators;

import java.util.ArrayList;
import java.util.List;

import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A classifier's output columns from its softmax outputs: {@code rawPrediction} (log-probabilities),
 * {@code probability} and {@code prediction}, each only where its column param is not empty.
 *
 * @param kinds what each appended column holds, in schema order
 * @param thresholds the per-class thresholds, or null for the most probable class
 */
record ClassifierOutputs(Kind[] kinds, double[] thresholds) implements BatchScoring.OutputColumns {

  /** Floor for probabilities before the log, so that a zero gives a finite raw score. */
  static final double MIN_PROBABILITY = 1e-30;

  enum Kind { RAW_PREDICTION, PROBABILITY, PREDICTION }

  /** The outputs for the columns {@code output} appends to {@code input}. */
  static ClassifierOutputs of(NeuralNetClassificationModel model, StructType input, StructType output) {
    List<Kind> kinds = new ArrayList<>();
    for (StructField field : output.fields()) {
      if (!List.of(input.fieldNames()).contains(field.name())) {
        String name = field.name();
        kinds.add(name.equals(model.getRawPredictionCol()) ? Kind.RAW_PREDICTION
            : name.equals(model.getProbabilityCol()) ? Kind.PROBABILITY : Kind.PREDICTION);
      }
    }
    return new ClassifierOutputs(kinds.toArray(Kind[]::new),
        model.isDefined(model.thresholds()) ? model.getThresholds() : null);
  }

  @Override
  public Object[] values(double[] outputs) {
    double[] raw = logProbabilities(classProbabilities(outputs));
    double[] probability = raw.clone();
    softmaxInPlace(probability);
    Object[] values = new Object[kinds.length];
    for (int i = 0; i < kinds.length; i++) {
      values[i] = switch (kinds[i]) {
        case RAW_PREDICTION -> Vectors.dense(raw);
        case PROBABILITY -> Vectors.dense(probability);
        case PREDICTION -> prediction(probability);
      };
    }
    return values;
  }

  /** The class with the highest probability, or with the highest probability / threshold (Spark's rule). */
  private double prediction(double[] probability) {
    int best = 0;
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < probability.length; i++) {
      double scaled = thresholds == null ? probability[i]
          : thresholds[i] == 0 ? Double.POSITIVE_INFINITY : probability[i] / thresholds[i];
      if (scaled > max) {
        max = scaled;
        best = i;
      }
    }
    return best;
  }

  /** The class probabilities from the network's outputs: softmax outputs, or one sigmoid output p as [1 − p, p]. */
  static double[] classProbabilities(double[] outputs) {
    return outputs.length == 1 ? new double[] {1 - outputs[0], outputs[0]} : outputs;
  }

  static double[] logProbabilities(double[] probabilities) {
    double[] raw = new double[probabilities.length];
    for (int i = 0; i < raw.length; i++) {
      raw[i] = Math.log(Math.max(probabilities[i], MIN_PROBABILITY));
    }
    return raw;
  }

  static void softmaxInPlace(double[] values) {
    double max = Double.NEGATIVE_INFINITY;
    for (double value : values) {
      max = Math.max(max, value);
    }
    double sum = 0;
    for (int i = 0; i < values.length; i++) {
      values[i] = Math.exp(values[i] - max);
      sum += values[i];
    }
    for (int i = 0; i < values.length; i++) {
      values[i] /= sum;
    }
  }
}
