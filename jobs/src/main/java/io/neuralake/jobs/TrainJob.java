package io.neuralake.jobs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.neuralake.estimators.NeuralNetClassificationModel;
import io.neuralake.estimators.NeuralNetClassifier;
import io.neuralake.testdata.Digits;
import io.neuralake.testdata.FashionMnist;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Trains a classifier on a bundled data set and reports held-out accuracy. With no arguments it
 * runs on local Spark ({@code local[2]}) with sklearn's digits.
 *
 * <pre>
 * train [--data digits|fashion-mnist] [--master local[2]] [--network "dense(128, relu) -> dense(64, relu)"]
 *       [--epochs N] [--batch-size N] [--workers N] [--learning-rate X] [--limit ROWS] [--output PATH]
 *       [--input-shape 1,28,28]
 * </pre>
 */
public final class TrainJob {

  /** Averaging rounds return parameter-sized task results; above this Spark takes a slower path. */
  static final String TASK_RESULT_SIZE = "64m";

  private TrainJob() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = options(args);
    SparkSession.Builder builder = SparkSession.builder().appName("neuralake-train")
        .config("spark.task.maxDirectResultSize", TASK_RESULT_SIZE);
    if (options.containsKey("master") || System.getProperty("spark.master") == null) {
      builder.master(options.getOrDefault("master", "local[2]"));
    }
    SparkSession spark = builder.getOrCreate();
    try {
      run(spark, options);
    } finally {
      spark.stop();
    }
  }

  static double run(SparkSession spark, Map<String, String> options) throws Exception {
    String data = options.getOrDefault("data", "digits");
    int limit = Integer.parseInt(options.getOrDefault("limit", "0"));
    Dataset<Row> train;
    Dataset<Row> test;
    switch (data) {
      case "digits" -> {
        Dataset<Row>[] parts = Digits.load(spark).randomSplit(new double[] {0.8, 0.2}, 42);
        train = parts[0];
        test = parts[1];
      }
      case "fashion-mnist" -> {
        train = FashionMnist.load(spark, FashionMnist.Split.TRAIN, limit);
        test = FashionMnist.load(spark, FashionMnist.Split.TEST, 0);
      }
      default -> throw new IllegalArgumentException("--data '" + data + "' is unknown; use digits or fashion-mnist");
    }
    // The scaler's fit and the classifier's passes (labels, row count, conversion) each read the rows.
    train.cache();
    NeuralNetClassifier classifier = new NeuralNetClassifier()
        .setFeaturesCol("scaled")
        .setNetwork(options.getOrDefault("network", "dense(128, relu) -> dense(64, relu)"))
        .setEpochs(Integer.parseInt(options.getOrDefault("epochs", "20")))
        .setBatchSize(Integer.parseInt(options.getOrDefault("batch-size", "32")))
        .setNumWorkers(Integer.parseInt(options.getOrDefault("workers", "0")))
        .setLearningRate(Double.parseDouble(options.getOrDefault("learning-rate", "0.001")))
        .setValidationFraction(0.1);
    if (options.containsKey("input-shape")) {
      // The scaler's output column has no shape metadata: image networks name the shape here.
      classifier.setInputShape(java.util.Arrays.stream(options.get("input-shape").split(","))
          .mapToInt(size -> Integer.parseInt(size.strip())).toArray());
    }
    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {
        new StandardScaler().setInputCol("features").setOutputCol("scaled"), classifier});
    PipelineModel model = pipeline.fit(train);
    NeuralNetClassificationModel network = (NeuralNetClassificationModel) model.stages()[1];
    System.out.println(network.networkSummary());
    System.out.println(network.summary());
    double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(model.transform(test));
    System.out.printf("held-out accuracy on %s: %.4f%n", data, accuracy);
    String output = options.get("output");
    if (output != null) {
      model.write().overwrite().save(output);
      System.out.println("saved the fitted pipeline to " + output);
    }
    return accuracy;
  }

  static Map<String, String> options(String[] args) {
    List<String> rest = new ArrayList<>(List.of(args));
    if (!rest.isEmpty() && rest.get(0).equals("train")) {
      rest.remove(0);
    }
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i < rest.size(); i += 2) {
      String key = rest.get(i);
      if (!key.startsWith("--") || i + 1 >= rest.size()) {
        throw new IllegalArgumentException("expected '--option value' pairs but got '" + key
            + "'; options: --data --master --network --epochs --batch-size --workers --learning-rate --limit --output "
            + "--input-shape");
      }
      options.put(key.substring(2), rest.get(i + 1));
    }
    return options;
  }
}
