package io.neuralake.jobs;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.management.HotSpotDiagnosticMXBean;
import io.neuralake.spec.ConvSpec;
import io.neuralake.spec.DeconvSpec;
import io.neuralake.spec.DenseSpec;
import io.neuralake.spec.NetworkSpec;
import io.neuralake.testdata.FashionMnist;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Side-by-side training speed on Fashion-MNIST: Neuralake on {@code local[workers]} and on a
 * local-cluster of as many executor JVMs, each setup in a fresh JVM of its own and the two taking their
 * fits in turns, against the same network in plain DL4J in one fresh JVM at
 * 1 and 2 ND4J threads (and with Neuralake's updater and layer classes, to tell the engine's share from theirs)
 * and under dl4j-spark's own ParameterAveragingTrainingMaster, over the same rows, batch size and
 * epochs, each after a warm-up epoch and {@code --warmup-fits} whole fits in its JVM (by default 5 for the
 * MLP and 2 for the CNN: a local-cluster's executor JVMs keep compiling for several fits more than one JVM
 * does); Spark MLlib's perceptron at the same wall time (MLPs only); PyTorch CPU in one process and under
 * DistributedDataParallel on two (the bench's MLP and CNN).
 * Each run makes {@code --repeats} timed whole fits and reports the median one; each run's FLOP rate
 * against this machine's GEMM peak and its peak memory. Prints a table and writes JSON with the
 * figures and the ratios.
 *
 * <pre>
 * bench [--model mlp|cnn] [--rows 60000] [--epochs 3] [--workers 2] [--batch-size 64] [--averaging-frequency 50]
 *       [--network "dense(256, relu) -> dense(128, relu)"] [--input-shape 784] [--output target/bench.json]
 *       [--cluster true] [--baselines true] [--executor-memory-mb MB] [--warmup-fits 5|2] [--repeats 3]
 * </pre>
 *
 * <p>{@code --baselines false} runs only Neuralake's two setups, for their ratio on longer fits.
 *
 * <p>The local-cluster's executors share this JVM's maximum heap between them unless
 * {@code --executor-memory-mb} says otherwise, so that both setups train with the same memory.
 */
public final class BenchJob {

  private BenchJob() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = TrainJob.options(args);
    BenchSettings settings = BenchSettings.of(options);
    Map<String, Object> results = settingsOf(settings);
    int executorMemoryMb = options.containsKey("executor-memory-mb")
        ? Integer.parseInt(options.get("executor-memory-mb")) : heapShareMb(settings.workers());
    List<Map<String, Object>> neuralake = neuralake(settings, options,
        Boolean.parseBoolean(options.getOrDefault("cluster", "true")), executorMemoryMb);
    results.put("neuralake", neuralake.get(0));
    if (neuralake.size() > 1) {
      results.put("neuralake_multi_jvm", neuralake.get(1));
    }
    if (Boolean.parseBoolean(options.getOrDefault("baselines", "true"))) {
      SparkSession spark = localSession(settings);
      try {
        addBaselines(spark, settings, options, results);
      } finally {
        spark.stop();
      }
    }
    results.put("gemm_peak_gflops", GemmPeak.inFreshJvm());
    results.put("training_flops_per_sample", trainingFlopsPerSample(settings));
    finish(results);
    Path output = Path.of(options.getOrDefault("output", "target/bench.json"));
    if (output.getParent() != null) {
      Files.createDirectories(output.getParent());
    }
    Files.writeString(output, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
        .writeValueAsString(results), StandardCharsets.UTF_8);
    System.out.println("wrote " + output.toAbsolutePath());
  }

  static SparkSession localSession(BenchSettings settings) {
    return SparkSession.builder().appName("neuralake-bench").master("local[" + settings.workers() + "]")
        .config("spark.ui.enabled", "false").config("spark.task.maxDirectResultSize", TrainJob.TASK_RESULT_SIZE)
        .getOrCreate();
  }

  /**
   * Neuralake's setups, {@code local[workers]} and, where {@code cluster}, a local-cluster, each in a
   * JVM of its own ({@link NeuralakeProcess}) and both up at once. After their warm-up epochs each makes
   * {@code settings.warmupFits()} whole fits and then {@code settings.repeats()} timed ones, the two
   * taking turns, the one that goes first alternating from turn to turn; each setup's median timed
   * fit, local first. Fits in turns share the machine's drift in speed, which over the minutes of one
   * setup's fits after the other's moved their ratio by more than the setups differ.
   */
  private static List<Map<String, Object>> neuralake(BenchSettings settings, Map<String, String> options,
                                                     boolean cluster, int executorMemoryMb) throws Exception {
    List<NeuralakeProcess> setups = new ArrayList<>();
    try {
      setups.add(NeuralakeProcess.start(options, false, executorMemoryMb));
      if (cluster) {
        setups.add(NeuralakeProcess.start(options, true, executorMemoryMb));
      }
      for (NeuralakeProcess setup : setups) {
        setup.awaitReady();
      }
      List<Callable<Map<String, Object>>> fits = setups.stream()
          .<Callable<Map<String, Object>>>map(setup -> setup::fit).toList();
      List<List<Map<String, Object>>> warmupFits = RunFigures.inTurns(fits, settings.warmupFits());
      List<List<Map<String, Object>>> timedFits = RunFigures.inTurns(fits, settings.repeats());
      return IntStream.range(0, setups.size())
          .mapToObj(setup -> RunFigures.medianOf(warmupFits.get(setup), timedFits.get(setup))).toList();
    } finally {
      for (NeuralakeProcess setup : setups) {
        setup.close();
      }
    }
  }

  private static Map<String, Object> settingsOf(BenchSettings settings) {
    Map<String, Object> results = new LinkedHashMap<>();
    results.put("rows", settings.rows());
    results.put("epochs", settings.epochs());
    results.put("batchSize", settings.batchSize());
    results.put("network", settings.network().toText());
    results.put("inputShape", settings.inputShape());
    results.put("warmupFits", settings.warmupFits());
    results.put("repeats", settings.repeats());
    return results;
  }

  /** The runs Neuralake is compared with, into {@code results}, which hold Neuralake's local run. */
  private static void addBaselines(SparkSession spark, BenchSettings settings, Map<String, String> options,
                                   Map<String, Object> results) throws Exception {
    Dataset<Row> train = settings.trainSplit(spark);
    Dataset<Row> test = BenchSettings.testSplit(spark);
    for (int threads : new int[] {1, 2}) {
      results.put("dl4j_single_jvm_" + threads + "_thread" + (threads > 1 ? "s" : ""),
          SingleJvmBaseline.PLAIN.inFreshJvm(options, threads));
    }
    results.put("dl4j_single_jvm_1_thread_neuralake_classes",
        SingleJvmBaseline.NEURALAKE_CLASSES.inFreshJvm(options, 1));
    results.put("dl4j_spark_training_master", Dl4jSparkBaseline.run(spark, settings,
        SingleJvmBaseline.batches(train.select("features", "label").collectAsList(), settings.batchSize()),
        SingleJvmBaseline.batches(test.select("features", "label").collectAsList(), Integer.MAX_VALUE).get(0)));
    int[] layers = mlpLayers(settings.network(), settings.inputShape());
    if (layers != null) {
      double neuralakeSeconds = (Double) ((Map<?, ?>) results.get("neuralake")).get("fit_seconds");
      results.put("mllib_perceptron_same_wall_time", MllibMlp.atWallTime(train, test, layers, neuralakeSeconds));
    }
    if (settings.model().isPresent()) {
      String twin = settings.model().get().name().toLowerCase();
      for (int processes : new int[] {1, 2}) {
        int torchProcesses = processes;
        // Each PyTorch fit is a process of its own that has no JIT to warm up.
        results.put(processes == 1 ? "pytorch_1_process" : "pytorch_ddp_2_processes", RunFigures.medianOf(
            0, settings.repeats(), () -> TorchBaseline.run(twin, torchProcesses, 1, settings.rows(), settings.epochs(),
                settings.batchSize())));
      }
    }
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
    double speed = RunFigures.speed(results.get("neuralake"));
    putRatio(results, "ratio_neuralake_to_best_single_jvm", speed, Math.max(
        RunFigures.speed(results.get("dl4j_single_jvm_1_thread")),
        RunFigures.speed(results.get("dl4j_single_jvm_2_threads"))));
    putRatio(results, "ratio_neuralake_to_single_jvm_same_classes", speed,
        RunFigures.speed(results.get("dl4j_single_jvm_1_thread_neuralake_classes")));
    putRatio(results, "ratio_neuralake_to_dl4j_spark", speed,
        RunFigures.speed(results.get("dl4j_spark_training_master")));
    for (String torch : new String[] {"pytorch_1_process", "pytorch_ddp_2_processes"}) {
      putRatio(results, "ratio_neuralake_to_" + torch, speed, RunFigures.speed(results.get(torch)));
    }
    results.put("ratio_neuralake_to_gemm_peak", speed * flops / 1e9 / peak);
    if (RunFigures.speed(results.get("neuralake_multi_jvm")) > 0) {
      results.put("ratio_multi_jvm_to_local", RunFigures.speed(results.get("neuralake_multi_jvm")) / speed);
      results.put("ratio_multi_jvm_to_local_steady",
          figure(results.get("neuralake_multi_jvm"), "steady_samples_per_second")
              / figure(results.get("neuralake"), "steady_samples_per_second"));
      List<Double> byFit = RunFigures.ratiosFitByFit((Map<?, ?>) results.get("neuralake_multi_jvm"),
          (Map<?, ?>) results.get("neuralake"));
      results.put("ratio_multi_jvm_to_local_by_fit", byFit);
      results.put("ratio_multi_jvm_to_local_first_fit", byFit.isEmpty() ? Double.NaN : byFit.get(0));
    }
    print(results);
  }

  /** Puts {@code speed / baseline} under {@code name} where the baseline ran (is not 0). */
  private static void putRatio(Map<String, Object> results, String name, double speed, double baseline) {
    if (baseline > 0) {
      results.put(name, speed / baseline);
    }
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
  private static double trainingFlopsPerSample(BenchSettings settings) {
    NetworkSpec network = settings.network();
    long[] inputShape = settings.inputShape();
    MultiLayerNetwork net = new MultiLayerNetwork(settings.neuralakeDl4j());
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

  /** This JVM's maximum heap (-Xmx), split evenly over {@code executors}, in megabytes. */
  private static int heapShareMb(int executors) {
    long maxHeap = Long.parseLong(ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
        .getVMOption("MaxHeapSize").getValue());
    return Math.toIntExact(maxHeap / executors >> 20);
  }

  /** The figure {@code name} of a run's figures, NaN where it is missing. */
  private static double figure(Object figures, String name) {
    return number(((Map<?, ?>) figures).get(name));
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
    for (String baseline : new String[] {"best_single_jvm", "dl4j_spark", "pytorch_1_process",
        "pytorch_ddp_2_processes"}) {
      if (results.containsKey("ratio_neuralake_to_" + baseline)) {
        System.out.printf("ratio Neuralake / %s: %.2f%n", baseline, results.get("ratio_neuralake_to_" + baseline));
      }
    }
    if (results.containsKey("ratio_multi_jvm_to_local")) {
      System.out.printf("ratio multi-JVM / local: %.2f whole fit, %.2f steady, %.2f first (cold) fit%n",
          results.get("ratio_multi_jvm_to_local"), results.get("ratio_multi_jvm_to_local_steady"),
          results.get("ratio_multi_jvm_to_local_first_fit"));
      System.out.println("ratio multi-JVM / local, fit by fit (the warm-up fits, then the timed ones):"
          + ((List<?>) results.get("ratio_multi_jvm_to_local_by_fit")).stream()
              .map(ratio -> String.format(" %.2f", (Double) ratio)).collect(Collectors.joining()));
      System.out.printf("seconds of the median fit outside its epochs (row count, conversion, set-up): local %.2f, "
          + "multi-JVM %.2f%n", figure(results.get("neuralake"), "outside_epochs_seconds"),
          figure(results.get("neuralake_multi_jvm"), "outside_epochs_seconds"));
    }
    if (results.get("neuralake") instanceof Map<?, ?> local && local.containsKey("scoring_rows_per_second")) {
      System.out.printf("rows/s of the median fit's model scoring the training rows (transform): local %.0f%s%n",
          figure(local, "scoring_rows_per_second"), results.get("neuralake_multi_jvm") == null ? ""
              : String.format(", multi-JVM %.0f", figure(results.get("neuralake_multi_jvm"), "scoring_rows_per_second")));
    }
    System.out.println("peak MB: heap in use + ND4J off-heap within this JVM (PyTorch: largest process RSS)");
  }
}
