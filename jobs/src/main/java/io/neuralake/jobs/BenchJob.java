package io.neuralake.jobs;

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
import io.neuralake.spec.ConvSpec;
import io.neuralake.spec.DeconvSpec;
import io.neuralake.spec.DenseSpec;
import io.neuralake.spec.Hyperparameters;
import io.neuralake.spec.NetworkSpec;
import io.neuralake.spec.OutputHead;
import io.neuralake.spec.PlainDl4j;
import io.neuralake.testdata.FashionMnist;
import io.neuralake.testdata.LocalCluster;
import io.neuralake.train.EpochStats;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Side-by-side training speed on Fashion-MNIST: Neuralake on {@code local[workers]} and on a
 * local-cluster of as many executor JVMs, against the same network in plain DL4J in one fresh JVM at
 * 1 and 2 ND4J threads (and with Neuralake's updater and layer classes, to tell the engine's share from theirs)
 * and under dl4j-spark's own ParameterAveragingTrainingMaster, over the same rows, batch size and
 * epochs, each after a warm-up epoch in its JVM; Spark MLlib's
 * perceptron at the same wall time (MLPs only); PyTorch CPU in one process and under
 * DistributedDataParallel on two (the bench's MLP and CNN); each run's FLOP rate against this
 * machine's GEMM peak and its peak memory. Prints a table and writes JSON with the figures and the ratios.
 *
 * <pre>
 * bench [--model mlp|cnn] [--rows 60000] [--epochs 3] [--workers 2] [--batch-size 64] [--averaging-frequency 50]
 *       [--network "dense(256, relu) -> dense(128, relu)"] [--input-shape 784] [--output target/bench.json]
 *       [--cluster true] [--executor-memory-mb 2048]
 * </pre>
 */
public final class BenchJob {

  /** The bench's networks, each with its input shape; PyTorch has a twin of each by the same name. */
  private enum Model {
    MLP("dense(256, relu) -> dense(128, relu)", FashionMnist.PIXELS),
    CNN("conv(32, 3, padding=same) -> pool(max, 2) -> conv(64, 3, padding=same) -> pool(max, 2) -> dense(128) "
        + "-> dropout(0.3)", 1, 28, 28);

    private final NetworkSpec network;
    private final long[] inputShape;

    Model(String network, long... inputShape) {
      this.network = NetworkSpec.parse(network);
      this.inputShape = inputShape;
    }

    /** The model that {@code network} on {@code inputShape} is, if it is one of the bench's. */
    static java.util.Optional<Model> of(NetworkSpec network, long[] inputShape) {
      return java.util.Arrays.stream(values())
          .filter(model -> model.network.equals(network) && java.util.Arrays.equals(model.inputShape, inputShape))
          .findFirst();
    }
  }

  private BenchJob() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = TrainJob.options(args);
    Settings settings = Settings.of(options);
    if (options.containsKey(SINGLE_JVM)) {
      printSingleJvm(settings, SingleJvm.valueOf(options.get(SINGLE_JVM)), Integer.parseInt(options.get("threads")));
      return;
    }
    SparkSession spark = SparkSession.builder().appName("neuralake-bench").master("local[" + settings.workers + "]")
        .config("spark.ui.enabled", "false").config("spark.task.maxDirectResultSize", TrainJob.TASK_RESULT_SIZE).getOrCreate();
    Map<String, Object> results;
    try {
      results = run(spark, settings, options);
    } finally {
      spark.stop();
    }
    if (Boolean.parseBoolean(options.getOrDefault("cluster", "true"))) {
      SparkSession cluster = LocalCluster.start(settings.workers,
          Integer.parseInt(options.getOrDefault("executor-memory-mb", "2048")));
      try {
        results.put("neuralake_multi_jvm", neuralake(settings, trainSplit(cluster, settings), testSplit(cluster),
            settings.workers + " executor JVMs × 1 core (local-cluster), " + settings.workers
                + " workers, averaging every " + settings.averaging));
      } finally {
        LocalCluster.stop(cluster);
      }
    }
    finish(results);
    Path output = Path.of(options.getOrDefault("output", "target/bench.json"));
    if (output.getParent() != null) {
      Files.createDirectories(output.getParent());
    }
    Files.writeString(output, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
        .writeValueAsString(results), StandardCharsets.UTF_8);
    System.out.println("wrote " + output.toAbsolutePath());
  }

  /** What every run shares: data size, network, batch, epochs, workers. */
  private record Settings(int rows, int epochs, int batchSize, int averaging, int workers, NetworkSpec network,
                          long[] inputShape) {

    static Settings of(Map<String, String> options) {
      Model preset = Model.valueOf(options.getOrDefault("model", "mlp").toUpperCase());
      NetworkSpec network = options.containsKey("network") ? NetworkSpec.parse(options.get("network")) : preset.network;
      long[] inputShape = options.containsKey("input-shape") ? java.util.Arrays.stream(options.get("input-shape")
          .split(",")).mapToLong(size -> Long.parseLong(size.strip())).toArray()
          : options.containsKey("network") ? new long[] {FashionMnist.PIXELS} : preset.inputShape;
      return new Settings(Integer.parseInt(options.getOrDefault("rows", "60000")),
          Integer.parseInt(options.getOrDefault("epochs", "3")),
          Integer.parseInt(options.getOrDefault("batch-size", "64")),
          Integer.parseInt(options.getOrDefault("averaging-frequency",
              String.valueOf(new NeuralNetClassifier().getAveragingFrequency()))),
          Integer.parseInt(options.getOrDefault("workers", "2")), network, inputShape);
    }

    NeuralNetClassifier classifier() {
      return new NeuralNetClassifier().setNetwork(network).setInputShape(java.util.Arrays.stream(inputShape)
              .mapToInt(Math::toIntExact).toArray()).setEpochs(epochs).setBatchSize(batchSize).setNumWorkers(workers)
          .setAveragingFrequency(averaging).setSeed(1);
    }

    /** The network in plain DL4J, with DL4J's own updater and layer classes. */
    MultiLayerConfiguration dl4j() {
      return PlainDl4j.of(network.toDl4j(inputShape, OutputHead.classification(FashionMnist.CLASSES),
          Hyperparameters.defaults(1)));
    }
  }

  /** The bench's training rows, cached. */
  private static Dataset<Row> trainSplit(SparkSession spark, Settings settings) {
    Dataset<Row> train = FashionMnist.load(spark, FashionMnist.Split.TRAIN, settings.rows).cache();
    train.count();
    return train;
  }

  /** The test split, cached. */
  private static Dataset<Row> testSplit(SparkSession spark) {
    Dataset<Row> test = FashionMnist.load(spark, FashionMnist.Split.TEST, 0).cache();
    test.count();
    return test;
  }

  /**
   * Neuralake's fit: a one-epoch warm-up fit (the JIT and Spark's first jobs, paid once per JVM),
   * then the timed fit.
   */
  private static Map<String, Object> neuralake(Settings settings, Dataset<Row> train, Dataset<Row> test, String setup)
      throws Exception {
    long rows = train.count();
    settings.classifier().setEpochs(1).fit(train);
    long start = System.nanoTime();
    PeakMemory.Measured<NeuralNetClassificationModel> fitted = PeakMemory.of(() -> settings.classifier().fit(train));
    double seconds = (System.nanoTime() - start) / 1e9;
    NeuralNetClassificationModel model = fitted.result();
    double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(model.transform(test));
    List<EpochStats> history = model.summary().epochs();
    Map<String, Object> figures = figures(rows * settings.epochs / seconds,
        history.subList(Math.min(1, history.size() - 1), history.size()).stream()
            .mapToDouble(EpochStats::samplesPerSecond).average().orElse(0), accuracy, setup);
    figures.put("peak_memory_mb", fitted.peakMb());
    figures.put("fit_seconds", seconds);
    return figures;
  }

  private static Map<String, Object> run(SparkSession spark, Settings settings, Map<String, String> options)
      throws Exception {
    NetworkSpec network = settings.network;
    long[] inputShape = settings.inputShape;
    int epochs = settings.epochs;
    int batchSize = settings.batchSize;
    int workers = settings.workers;
    Map<String, Object> results = new LinkedHashMap<>();
    results.put("rows", settings.rows);
    results.put("epochs", epochs);
    results.put("batchSize", batchSize);
    results.put("network", network.toText());
    results.put("inputShape", inputShape);
    Dataset<Row> train = trainSplit(spark, settings);
    Dataset<Row> test = testSplit(spark);
    Map<String, Object> ours = neuralake(settings, train, test, "local[" + workers + "], " + workers
        + " workers, averaging every " + settings.averaging);
    results.put("neuralake", ours);
    List<DataSet> batches = batches(train.select("features", "label").collectAsList(), batchSize);
    DataSet testSet = batches(test.select("features", "label").collectAsList(), Integer.MAX_VALUE).get(0);
    for (int threads : new int[] {1, 2}) {
      results.put("dl4j_single_jvm_" + threads + "_thread" + (threads > 1 ? "s" : ""),
          inFreshJvm(options, SingleJvm.PLAIN, threads));
    }
    results.put("dl4j_single_jvm_1_thread_neuralake_classes", inFreshJvm(options, SingleJvm.NEURALAKE_CLASSES, 1));
    results.put("dl4j_spark_training_master", dl4jSpark(spark, settings, batches, testSet));
    int[] layers = mlpLayers(network, inputShape);
    if (layers != null) {
      results.put("mllib_perceptron_same_wall_time",
          MllibMlp.atWallTime(train, test, layers, (Double) ours.get("fit_seconds")));
    }
    Model.of(network, inputShape).ifPresent(twin -> {
      String name = twin.name().toLowerCase();
      results.put("pytorch_1_process", TorchBaseline.run(name, 1, 1, settings.rows, epochs, batchSize));
      results.put("pytorch_ddp_2_processes", TorchBaseline.run(name, 2, 1, settings.rows, epochs, batchSize));
    });
    results.put("gemm_peak_gflops", Math.max(GemmPeak.gigaflops(1), GemmPeak.gigaflops(2)));
    results.put("training_flops_per_sample", trainingFlopsPerSample(network, inputShape));
    return results;
  }

  /** Adds each run's FLOP rate and the ratios to {@code results}, and prints the table. */
  private static void finish(Map<String, Object> results) {
    double peak = (Double) results.get("gemm_peak_gflops");
    double flops = (Double) results.get("training_flops_per_sample");
    results.values().forEach(value -> {
      if (value instanceof Map<?, ?> figures && figures.containsKey("samples_per_second")) {
        @SuppressWarnings("unchecked")
        Map<String, Object> run = (Map<String, Object>) figures;
        double gigaflops = ((Number) run.get("samples_per_second")).doubleValue() * flops / 1e9;
        run.put("gflops", gigaflops);
        run.put("fraction_of_gemm_peak", gigaflops / peak);
      }
    });
    double speed = speedOf(results, "neuralake");
    results.put("ratio_neuralake_to_best_single_jvm", speed / Math.max(speedOf(results, "dl4j_single_jvm_1_thread"),
        speedOf(results, "dl4j_single_jvm_2_threads")));
    results.put("ratio_neuralake_to_single_jvm_same_classes",
        speed / speedOf(results, "dl4j_single_jvm_1_thread_neuralake_classes"));
    results.put("ratio_neuralake_to_dl4j_spark", speed / speedOf(results, "dl4j_spark_training_master"));
    for (String torch : new String[] {"pytorch_1_process", "pytorch_ddp_2_processes"}) {
      if (speedOf(results, torch) > 0) {
        results.put("ratio_neuralake_to_" + torch, speed / speedOf(results, torch));
      }
    }
    results.put("ratio_neuralake_to_gemm_peak", speed * flops / 1e9 / peak);
    if (speedOf(results, "neuralake_multi_jvm") > 0) {
      results.put("ratio_multi_jvm_to_local", speedOf(results, "neuralake_multi_jvm") / speed);
    }
    print(results);
  }

  /** The whole-fit samples/s of the run named {@code name}, 0 where it has none. */
  private static double speedOf(Map<String, Object> results, String name) {
    return results.get(name) instanceof Map<?, ?> run && run.get("samples_per_second") instanceof Number speed
        ? speed.doubleValue() : 0;
  }

  /** The layer sizes of an all-dense network on the flat Fashion-MNIST input and classes, else null. */
  private static int[] mlpLayers(NetworkSpec network, long[] inputShape) {
    if (network.isDl4j() || inputShape.length != 1
        || !network.layers().stream().allMatch(layer -> layer instanceof DenseSpec)) {
      return null;
    }
    return IntStream.concat(IntStream.of(FashionMnist.PIXELS), IntStream.concat(
        network.layers().stream().mapToInt(layer -> ((DenseSpec) layer).units()), IntStream.of(FashionMnist.CLASSES)))
        .toArray();
  }

  /**
   * FLOPs of one training step per example, counted from the weights: 2 per weight use forward and
   * 4 backward (input and weight gradients), where a convolution uses each weight once per output
   * position and a transposed convolution once per input position; the usual estimate.
   */
  private static double trainingFlopsPerSample(NetworkSpec network, long[] inputShape) {
    MultiLayerNetwork net = new MultiLayerNetwork(network.toDl4j(inputShape,
        OutputHead.classification(FashionMnist.CLASSES), Hyperparameters.defaults(1)));
    net.init();
    List<long[]> shapes = network.isDl4j() ? List.of() : network.outputShapes(inputShape);
    double uses = 0;
    for (int i = 0; i < net.getLayers().length; i++) {
      INDArray w = net.getLayer(i).getParam("W");
      if (w == null) {
        continue;
      }
      long positions = 1;
      if (i < shapes.size() && network.layers().get(i) instanceof ConvSpec) {
        positions = shapes.get(i)[1] * shapes.get(i)[2];
      } else if (i < shapes.size() && network.layers().get(i) instanceof DeconvSpec) {
        long[] in = i == 0 ? inputShape : shapes.get(i - 1);
        positions = in[1] * in[2];
      }
      uses += (double) w.length() * positions;
    }
    return 6.0 * uses;
  }

  /** The single-JVM baselines: the network in plain DL4J, or in DL4J with Neuralake's updater and layer classes. */
  private enum SingleJvm {
    PLAIN("plain DL4J"),
    NEURALAKE_CLASSES("DL4J with Neuralake's updater and layer classes");

    private final String setup;

    SingleJvm(String setup) {
      this.setup = setup;
    }

    String setup(int threads) {
      return setup + " MultiLayerNetwork, one fresh JVM, " + threads + " ND4J thread(s)";
    }

    MultiLayerConfiguration configuration(Settings settings) {
      return this == PLAIN ? settings.dl4j() : settings.network.toDl4j(settings.inputShape,
          OutputHead.classification(FashionMnist.CLASSES), Hyperparameters.defaults(1));
    }
  }

  /** The option that makes this JVM run one single-JVM baseline and print its figures. */
  private static final String SINGLE_JVM = "single-jvm";

  /**
   * A single-JVM baseline in a JVM of its own, started with this JVM's flags and classpath: in this
   * one, after Neuralake's fits, plain DL4J at 2 ND4J threads ran about three times as fast as in a
   * fresh JVM (OpenMP's state, it seems), which is not what a user's own JVM gets.
   */
  private static Map<String, Object> inFreshJvm(Map<String, String> options, SingleJvm baseline, int threads)
      throws InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), BenchJob.class.getName()));
    options.forEach((key, value) -> {
      if (!key.equals("output")) {
        command.addAll(List.of("--" + key, value));
      }
    });
    command.addAll(List.of("--" + SINGLE_JVM, baseline.name(), "--threads", String.valueOf(threads)));
    try {
      return BaselineProcess.figures(command, baseline.setup(threads));
    } catch (java.io.IOException e) {
      return BaselineProcess.skipped("cannot start a JVM: " + e.getMessage());
    }
  }

  /** Runs {@code baseline} on the bench's rows in this JVM and prints its figures as one JSON line. */
  private static void printSingleJvm(Settings settings, SingleJvm baseline, int threads) throws Exception {
    SparkSession spark = SparkSession.builder().appName("neuralake-bench-baseline").master("local[1]")
        .config("spark.ui.enabled", "false").getOrCreate();
    List<DataSet> batches;
    DataSet testSet;
    try {
      batches = batches(trainSplit(spark, settings).select("features", "label").collectAsList(), settings.batchSize);
      testSet = batches(testSplit(spark).select("features", "label").collectAsList(), Integer.MAX_VALUE).get(0);
    } finally {
      spark.stop();
    }
    Map<String, Object> figures = singleJvm(baseline.configuration(settings), batches, testSet, settings.epochs, threads,
        baseline.setup(threads));
    System.out.println(new ObjectMapper().writeValueAsString(figures));
  }

  /** {@code configuration} trained in this JVM on {@code threads} ND4J threads, after a warm-up epoch. */
  private static Map<String, Object> singleJvm(MultiLayerConfiguration configuration, List<DataSet> batches,
                                               DataSet test, int epochs, int threads, String setup) throws Exception {
    Nd4j.getEnvironment().setMaxThreads(threads);
    Nd4j.getEnvironment().setMaxMasterThreads(threads);
    Nd4j.factory().blas().setMaxThreads(threads);
    MultiLayerNetwork warmUp = new MultiLayerNetwork(configuration.clone());
    warmUp.init();
    batches.forEach(warmUp::fit);
    MultiLayerNetwork net = new MultiLayerNetwork(configuration.clone());
    net.init();
    long start = System.nanoTime();
    PeakMemory.Measured<double[]> trained = PeakMemory.of(() -> {
      long examples = 0;
      double steady = 0;
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
      return new double[] {examples, steady};
    });
    double seconds = (System.nanoTime() - start) / 1e9;
    Map<String, Object> figures = figures(trained.result()[0] / seconds, trained.result()[1], accuracy(net, test),
        setup);
    figures.put("peak_memory_mb", trained.peakMb());
    return figures;
  }

  /**
   * dl4j-spark's ParameterAveragingTrainingMaster, tuned as STACK.md found best: updater state kept,
   * prefetch 2, the same averaging frequency; full batches only (it needs one example count); after
   * a warm-up epoch.
   */
  private static Map<String, Object> dl4jSpark(SparkSession spark, Settings settings, List<DataSet> batches,
                                               DataSet test) throws Exception {
    int batchSize = settings.batchSize;
    int averaging = settings.averaging;
    int workers = settings.workers;
    int epochs = settings.epochs;
    Path export = Files.createTempDirectory("neuralake-bench-dl4j-spark");
    try {
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      List<DataSet> full = batches.stream().filter(b -> b.numExamples() == batchSize).toList();
      JavaRDD<DataSet> rdd = jsc.parallelize(full, workers).cache();
      rdd.count();
      java.util.function.Supplier<ParameterAveragingTrainingMaster> master = () ->
          new ParameterAveragingTrainingMaster.Builder(batchSize).batchSizePerWorker(batchSize)
              .averagingFrequency(averaging).saveUpdater(true).workerPrefetchNumBatches(2)
              .exportDirectory(export.toUri().toString()).build();
      new SparkDl4jMultiLayer(jsc, settings.dl4j(), master.get()).fit(rdd);
      SparkDl4jMultiLayer trainer = new SparkDl4jMultiLayer(jsc, settings.dl4j(), master.get());
      long start = System.nanoTime();
      PeakMemory.Measured<double[]> trained = PeakMemory.of(() -> {
        long examples = 0;
        double steady = 0;
        for (int epoch = 0; epoch < epochs; epoch++) {
          long epochStart = System.nanoTime();
          trainer.fit(rdd);
          long epochExamples = (long) full.size() * batchSize;
          examples += epochExamples;
          if (epoch > 0 || epochs == 1) {
            steady += epochExamples / ((System.nanoTime() - epochStart) / 1e9) / Math.max(1, epochs - 1);
          }
        }
        return new double[] {examples, steady};
      });
      double seconds = (System.nanoTime() - start) / 1e9;
      rdd.unpersist(false);
      Map<String, Object> figures = figures(trained.result()[0] / seconds, trained.result()[1],
          accuracy(trainer.getNetwork(), test), "dl4j-spark ParameterAveragingTrainingMaster, " + workers
          + " workers, saveUpdater, prefetch 2, averaging every " + averaging);
      figures.put("peak_memory_mb", trained.peakMb());
      return figures;
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

  /** A figure as a double, NaN where it is missing. */
  private static double number(Object figure) {
    return figure instanceof Number value ? value.doubleValue() : Double.NaN;
  }

  private static void print(Map<String, Object> results) {
    System.out.printf("%n%-32s %12s %12s %10s %8s %8s %10s%n", "run", "samples/s", "steady", "test acc", "GFLOP/s",
        "of peak", "peak MB");
    results.forEach((name, value) -> {
      if (value instanceof Map<?, ?> figures && figures.containsKey("samples_per_second")) {
        Object memory = figures.containsKey("peak_memory_mb") ? figures.get("peak_memory_mb")
            : figures.get("peak_rss_mb");
        System.out.printf("%-32s %12.0f %12.0f %10.4f %8.1f %7.1f%% %10.0f%n", name,
            number(figures.get("samples_per_second")), number(figures.get("steady_samples_per_second")),
            number(figures.get("test_accuracy")),
            number(figures.get("gflops")), 100 * number(figures.get("fraction_of_gemm_peak")), number(memory));
      } else if (value instanceof Map<?, ?> figures && figures.containsKey("skipped")) {
        System.out.printf("%-32s skipped: %s%n", name, figures.get("skipped"));
      } else if (value instanceof Map<?, ?> figures) {
        System.out.printf("%-32s %s: test accuracy %.4f%n", name, figures.get("setup"), figures.get("test_accuracy"));
      }
    });
    System.out.printf("GEMM peak (ND4J, FP32): %.1f GFLOP/s; training FLOPs per sample: %.0f%n",
        results.get("gemm_peak_gflops"), results.get("training_flops_per_sample"));
    System.out.printf("ratio Neuralake / best single JVM: %.2f%n", results.get("ratio_neuralake_to_best_single_jvm"));
    System.out.printf("ratio Neuralake / dl4j-spark: %.2f%n", results.get("ratio_neuralake_to_dl4j_spark"));
    for (String torch : new String[] {"pytorch_1_process", "pytorch_ddp_2_processes"}) {
      if (results.containsKey("ratio_neuralake_to_" + torch)) {
        System.out.printf("ratio Neuralake / %s: %.2f%n", torch, results.get("ratio_neuralake_to_" + torch));
      }
    }
    System.out.println("peak MB: heap in use + ND4J off-heap within this JVM (PyTorch: largest process RSS)");
  }
}
