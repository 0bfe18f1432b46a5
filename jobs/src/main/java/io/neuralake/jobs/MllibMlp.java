package io.neuralake.jobs;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Spark MLlib's {@code MultilayerPerceptronClassifier} (sigmoid hidden layers, L-BFGS) with the
 * same layer sizes, given the wall time another run took: after a warm-up fit, two short probes measure
 * its fixed cost and its time per iteration, then it runs as many iterations as fit in that time.
 */
final class MllibMlp {

  private static final int PROBE_ITERATIONS = 4;

  private MllibMlp() {}

  static Map<String, Object> atWallTime(Dataset<Row> train, Dataset<Row> test, int[] layers, double seconds) {
    // The first fit also pays for the JIT and Spark's first jobs, which would leave no time for iterations.
    fit(train, layers, 1);
    double one = fit(train, layers, 1).seconds;
    double perIteration = Math.max(1e-3, (fit(train, layers, PROBE_ITERATIONS).seconds - one) / (PROBE_ITERATIONS - 1));
    int iterations = Math.max(1, (int) ((seconds - (one - perIteration)) / perIteration));
    Run run = fit(train, layers, iterations);
    double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy")
        .evaluate(run.model.transform(test));
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("setup", "Spark MLlib MultilayerPerceptronClassifier, L-BFGS, " + iterations
        + " iterations to match " + Math.round(seconds) + " s");
    figures.put("seconds", run.seconds);
    figures.put("iterations", iterations);
    figures.put("test_accuracy", accuracy);
    return figures;
  }

  private record Run(MultilayerPerceptronClassificationModel model, double seconds) {}

  private static Run fit(Dataset<Row> train, int[] layers, int iterations) {
    long start = System.nanoTime();
    MultilayerPerceptronClassificationModel model = new MultilayerPerceptronClassifier().setLayers(layers)
        .setMaxIter(iterations).setTol(0).setSeed(1).fit(train);
    return new Run(model, (System.nanoTime() - start) / 1e9);
  }
}
