package io.neuralake.jobs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.neuralake.estimators.NeuralNetClassificationModel;
import io.neuralake.estimators.NeuralNetClassifier;
import io.neuralake.spec.DenseSpec;
import io.neuralake.spec.Hyperparameters;
import io.neuralake.spec.NetworkSpec;
import io.neuralake.spec.OutputHead;
import io.neuralake.testdata.FashionMnist;
import io.neuralake.train.EpochStats;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Side-by-side training speed on Fashion-MNIST: Neuralake on {@code local[workers]} against the
 * same network in plain DL4J in one JVM at 1 and 2 ND4J threads and under dl4j-spark's own
 * ParameterAveragingTrainingMaster, over the same rows, batch size and epochs; Spark MLlib's
 * perceptron at the same wall time (MLPs only); and each run's FLOP rate against this machine's
 * GEMM peak. Prints a table and writes JSON with the figures and the ratios.
 *
 * <pre>
 * bench [--rows 60000] [--epochs 3] [--workers 2] [--batch-size 64] [--averaging-frequency 20]
 *       [--network "dense(256, relu) -> dense(128, relu)"] [--output target/bench.json]
 * </pre>
 */
public final class BenchJob {

  private BenchJob() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = TrainJob.options(args);
    int workers = Integer.parseInt(options.getOrDefault("workers", "2"));
    SparkSession spark = SparkSession.builder().appName("neuralake-bench").master("local[" + workers + "]")
        .config("spark.ui.enabled", "false").config("spark.task.maxDirectResultSize", TrainJob.TASK_RESULT_SIZE).getOrCreate();
    try {
      run(spark, options, workers);
    } finally {
      spark.stop();
    }
  }

  static Map<String, Object> run(SparkSession spark, Map<String, String> options, int workers) throws IOException {
    int rows = Integer.parseInt(options.getOrDefault("rows", "60000"));
    int epochs = Integer.parseInt(options.getOrDefault("epochs", "3"));
    int batchSize = Integer.parseInt(options.getOrDefault("batch-size", "64"));
    NeuralNetClassifier classifier = new NeuralNetClassifier();
    int averaging = options.containsKey("averaging-frequency")
        ? Integer.parseInt(options.get("averaging-frequency")) : classifier.getAveragingFrequency();
    NetworkSpec network = NetworkSpec.parse(options.getOrDefault("network", "dense(256, relu) -> dense(128, relu)"));
    Dataset<Row> train = FashionMnist.load(spark, FashionMnist.Split.TRAIN, rows).cache();
    Dataset<Row> test = FashionMnist.load(spark, FashionMnist.Split.TEST, 0).cache();
    long trainRows = train.count();
    test.count();

    Map<String, Object> results = new LinkedHashMap<>();
    results.put("rows", trainRows);
    results.put("epochs", epochs);
    results.put("batchSize", batchSize);
    results.put("network", network.toText());

    long start = System.nanoTime();
    NeuralNetClassificationModel model = classifier.setNetwork(network).setEpochs(epochs)
        .setBatchSize(batchSize).setNumWorkers(workers).setAveragingFrequency(averaging).setSeed(1).fit(train);
    double seconds = (System.nanoTime() - start) / 1e9;
    double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(model.transform(test));
    List<EpochStats> history = model.summary().epochs();
    results.put("neuralake", figures(trainRows * epochs / seconds,
        history.subList(Math.min(1, history.size() - 1), history.size()).stream()
            .mapToDouble(EpochStats::samplesPerSecond).average().orElse(0), accuracy,
        "local[" + workers + "], " + workers + " workers, averaging every " + averaging));

    List<DataSet> batches = batches(train.select("features", "label").collectAsList(), batchSize);
    DataSet testSet = batches(test.select("features", "label").collectAsList(), Integer.MAX_VALUE).get(0);
    double best = 0;
    for (int threads : new int[] {1, 2}) {
      Map<String, Object> single = singleJvm(network, batches, testSet, epochs, threads);
      results.put("dl4j_single_jvm_" + threads + "_thread" + (threads > 1 ? "s" : ""), single);
      best = Math.max(best, (Double) single.get("samples_per_second"));
    }
    results.put("dl4j_spark_training_master", dl4jSpark(spark, network, batches, testSet, epochs, workers, batchSize,
        averaging));
    int[] layers = mlpLayers(network);
    if (layers != null) {
      results.put("mllib_perceptron_same_wall_time", MllibMlp.atWallTime(train, test, layers, seconds));
    }
    double peak = Math.max(GemmPeak.gigaflops(1), GemmPeak.gigaflops(2));
    double flops = trainingFlopsPerSample(network);
    results.put("gemm_peak_gflops", peak);
    results.put("training_flops_per_sample", flops);
    results.values().forEach(value -> {
      if (value instanceof Map<?, ?> figures && figures.containsKey("samples_per_second")) {
        @SuppressWarnings("unchecked")
        Map<String, Object> run = (Map<String, Object>) figures;
        double gigaflops = (Double) run.get("samples_per_second") * flops / 1e9;
        run.put("gflops", gigaflops);
        run.put("fraction_of_gemm_peak", gigaflops / peak);
      }
    });
    @SuppressWarnings("unchecked")
    double ours = (Double) ((Map<String, Object>) results.get("neuralake")).get("samples_per_second");
    results.put("ratio_neuralake_to_best_single_jvm", ours / best);
    @SuppressWarnings("unchecked")
    double master = (Double) ((Map<String, Object>) results.get("dl4j_spark_training_master")).get("samples_per_second");
    results.put("ratio_neuralake_to_dl4j_spark", ours / master);
    results.put("ratio_neuralake_to_gemm_peak", ours * flops / 1e9 / peak);

    print(results);
    Path output = Path.of(options.getOrDefault("output", "target/bench.json"));
    if (output.getParent() != null) {
      Files.createDirectories(output.getParent());
    }
    Files.writeString(output, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
        .writeValueAsString(results), StandardCharsets.UTF_8);
    System.out.println("wrote " + output.toAbsolutePath());
    return results;
  }

  /** The layer sizes of an all-dense network on the Fashion-MNIST input and classes, else null. */
  private static int[] mlpLayers(NetworkSpec network) {
    if (network.isDl4j() || !network.layers().stream().allMatch(layer -> layer instanceof DenseSpec)) {
      return null;
    }
    return IntStream.concat(IntStream.of(FashionMnist.PIXELS), IntStream.concat(
        network.layers().stream().mapToInt(layer -> ((DenseSpec) layer).units()), IntStream.of(FashionMnist.CLASSES)))
        .toArray();
  }

  /**
   * Multiply-adds of one training step per example, counted from the weight matrices: 2 per weight
   * forward and 4 backward (input and weight gradients); exact for dense layers, the usual estimate.
   */
  private static double trainingFlopsPerSample(NetworkSpec network) {
    MultiLayerNetwork net = new MultiLayerNetwork(network.toDl4j(new long[] {FashionMnist.PIXELS},
        OutputHead.classification(FashionMnist.CLASSES), Hyperparameters.defaults(1)));
    net.init();
    long weights = 0;
    for (org.deeplearning4j.nn.api.Layer layer : net.getLayers()) {
      INDArray w = layer.getParam("W");
      weights += w == null ? 0 : w.length();
    }
    return 6.0 * weights;
  }

  private static Map<String, Object> singleJvm(NetworkSpec network, List<DataSet> batches, DataSet test, int epochs,
                                               int threads) {
    Nd4j.getEnvironment().setMaxThreads(threads);
    Nd4j.getEnvironment().setMaxMasterThreads(threads);
    Nd4j.factory().blas().setMaxThreads(threads);
    MultiLayerNetwork net = new MultiLayerNetwork(network.toDl4j(new long[] {FashionMnist.PIXELS},
        OutputHead.classification(FashionMnist.CLASSES), Hyperparameters.defaults(1)));
    net.init();
    long examples = 0;
    double steady = 0;
    long start = System.nanoTime();
    for (int epoch = 0; epoch < epochs; epoch++) {
      long epochStart = System.nanoTime();
      long epochExamples = 0;
      for (DataSet batch : batches) {
        net.fit(batch);
        epochExamples += batch.numExamples();
      }
      examples += epochExamples;
      if (epoch > 0 || epochs == 1) {
        steady += epochExamples / ((System.nanoTime() - epochStart) / 1e9) / Math.max(1, epochs - 1);
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return figures(examples / seconds, steady, accuracy(net, test), "plain DL4J MultiLayerNetwork, one JVM, " + threads
        + " ND4J thread(s)");
  }

  /**
   * dl4j-spark's ParameterAveragingTrainingMaster, tuned as STACK.md found best: updater state kept,
   * prefetch 2, the same averaging frequency; full batches only (it needs one example count).
   */
  private static Map<String, Object> dl4jSpark(SparkSession spark, NetworkSpec network, List<DataSet> batches,
                                               DataSet test, int epochs, int workers, int batchSize, int averaging)
      throws IOException {
    Path export = Files.createTempDirectory("neuralake-bench-dl4j-spark");
    try {
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      List<DataSet> full = batches.stream().filter(b -> b.numExamples() == batchSize).toList();
      JavaRDD<DataSet> rdd = jsc.parallelize(full, workers).cache();
      rdd.count();
      ParameterAveragingTrainingMaster master = new ParameterAveragingTrainingMaster.Builder(batchSize)
          .batchSizePerWorker(batchSize).averagingFrequency(averaging).saveUpdater(true).workerPrefetchNumBatches(2)
          .exportDirectory(export.toUri().toString()).build();
      SparkDl4jMultiLayer trainer = new SparkDl4jMultiLayer(jsc, network.toDl4j(new long[] {FashionMnist.PIXELS},
          OutputHead.classification(FashionMnist.CLASSES), Hyperparameters.defaults(1)), master);
      long examples = 0;
      double steady = 0;
      long start = System.nanoTime();
      for (int epoch = 0; epoch < epochs; epoch++) {
        long epochStart = System.nanoTime();
        trainer.fit(rdd);
        long epochExamples = (long) full.size() * batchSize;
        examples += epochExamples;
        if (epoch > 0 || epochs == 1) {
          steady += epochExamples / ((System.nanoTime() - epochStart) / 1e9) / Math.max(1, epochs - 1);
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      rdd.unpersist(false);
      return figures(examples / seconds, steady, accuracy(trainer.getNetwork(), test), "dl4j-spark ParameterAveragingTrainingMaster, "
          + workers + " workers, saveUpdater, prefetch 2, averaging every " + averaging);
    } finally {
      try (var files = Files.walk(export)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
      }
    }
  }

  private static double accuracy(MultiLayerNetwork network, DataSet test) {
    INDArray predicted = Nd4j.argMax(network.output(test.getFeatures(), false), 1);
    return predicted.eq(Nd4j.argMax(test.getLabels(), 1)).castTo(DataType.DOUBLE).meanNumber().doubleValue();
  }

  private static Map<String, Object> figures(double samplesPerSecond, double steady, double accuracy, String setup) {
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("setup", setup);
    figures.put("samples_per_second", samplesPerSecond);
    figures.put("steady_samples_per_second", steady);
    figures.put("test_accuracy", accuracy);
    return figures;
  }

  /** Rows as shuffled (seed 1) one-hot mini-batches. */
  private static List<DataSet> batches(List<Row> rows, int batchSize) {
    List<Row> shuffled = new ArrayList<>(rows);
    Collections.shuffle(shuffled, new Random(1));
    List<DataSet> batches = new ArrayList<>();
    for (int start = 0; start < shuffled.size(); start += batchSize) {
      int count = Math.min(batchSize, shuffled.size() - start);
      float[] features = new float[count * FashionMnist.PIXELS];
      float[] labels = new float[count * FashionMnist.CLASSES];
      for (int i = 0; i < count; i++) {
        Row row = shuffled.get(start + i);
        double[] pixels = row.<Vector>getAs(0).toArray();
        for (int p = 0; p < pixels.length; p++) {
          features[i * FashionMnist.PIXELS + p] = (float) pixels[p];
        }
        labels[i * FashionMnist.CLASSES + (int) row.getDouble(1)] = 1f;
      }
      batches.add(new DataSet(Nd4j.create(features, new long[] {count, FashionMnist.PIXELS}, 'c'),
          Nd4j.create(labels, new long[] {count, FashionMnist.CLASSES}, 'c')));
    }
    return batches;
  }

  private static void print(Map<String, Object> results) {
    System.out.printf("%n%-32s %12s %12s %10s %8s %8s%n", "run", "samples/s", "steady", "test acc", "GFLOP/s",
        "of peak");
    results.forEach((name, value) -> {
      if (value instanceof Map<?, ?> figures && figures.containsKey("samples_per_second")) {
        System.out.printf("%-32s %12.0f %12.0f %10.4f %8.1f %7.1f%%%n", name, figures.get("samples_per_second"),
            figures.get("steady_samples_per_second"), figures.get("test_accuracy"), figures.get("gflops"),
            100 * (Double) figures.get("fraction_of_gemm_peak"));
      } else if (value instanceof Map<?, ?> figures) {
        System.out.printf("%-32s %s: test accuracy %.4f%n", name, figures.get("setup"), figures.get("test_accuracy"));
      }
    });
    System.out.printf("GEMM peak (ND4J, FP32): %.1f GFLOP/s; training FLOPs per sample: %.0f%n",
        results.get("gemm_peak_gflops"), results.get("training_flops_per_sample"));
    System.out.printf("ratio Neuralake / best single JVM: %.2f%n", results.get("ratio_neuralake_to_best_single_jvm"));
    System.out.printf("ratio Neuralake / dl4j-spark: %.2f%n", results.get("ratio_neuralake_to_dl4j_spark"));
  }
}
