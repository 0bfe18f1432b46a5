package io.neuralake.jobs;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.neuralake.testdata.FashionMnist;
import io.neuralake.train.CachedShapeInfo;
import io.neuralake.train.OwnGradientUpdater;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The bench's single-JVM baselines, (b): the network in plain DL4J, or in DL4J with Neuralake's
 * updater and layer classes, trained by {@code MultiLayerNetwork.fit} on the bench's rows in a JVM of
 * their own.
 */
enum SingleJvmBaseline {
  PLAIN("plain DL4J"),
  NEURALAKE_CLASSES("DL4J with Neuralake's updater and layer classes");

  /** The option that names the baseline a fresh JVM runs. */
  private static final String OPTION = "single-jvm";

  private final String setup;

  SingleJvmBaseline(String setup) {
    this.setup = setup;
  }

  /**
   * A fresh JVM's entry point: runs the baseline named by {@code --single-jvm} on {@code --threads}
   * ND4J threads, with the bench's options, and prints its figures.
   */
  public static void main(String[] args) throws Exception {
    Map<String, String> options = TrainJob.options(args);
    valueOf(options.get(OPTION)).printFigures(BenchSettings.of(options), Integer.parseInt(options.get("threads")));
  }

  private String setup(int threads) {
    return setup + " MultiLayerNetwork, one fresh JVM, " + threads + " ND4J thread(s)";
  }

  private MultiLayerConfiguration configuration(BenchSettings settings) {
    return this == PLAIN ? settings.plainDl4j() : settings.neuralakeDl4j();
  }

  /**
   * This baseline in a JVM of its own, started with this JVM's flags and classpath and the bench's
   * {@code options}: in the bench's JVM, after Neuralake's fits, plain DL4J at 2 ND4J threads ran
   * about three times as fast as in a fresh JVM (OpenMP's state, it seems), which is not what a user's
   * own JVM gets. OpenMP gets as many threads as ND4J ({@code OMP_NUM_THREADS}, as DL4J's users are told
   * to set): otherwise its team takes both cores, and its idle thread spins on the one that the run
   * does not use.
   */
  Map<String, Object> inFreshJvm(Map<String, String> options, int threads) throws InterruptedException {
    List<String> command = BaselineProcess.freshJvm(SingleJvmBaseline.class);
    options.forEach((key, value) -> {
      if (!key.equals("output")) {
        command.addAll(List.of("--" + key, value));
      }
    });
    command.addAll(List.of("--" + OPTION, name(), "--threads", String.valueOf(threads)));
    try {
      return BaselineProcess.figures(command, Map.of("OMP_NUM_THREADS", String.valueOf(threads)), setup(threads));
    } catch (java.io.IOException e) {
      return BaselineProcess.skipped("cannot start a JVM: " + e.getMessage());
    }
  }

  /**
   * Runs this baseline on the bench's rows in this JVM, on {@code threads} ND4J threads: a warm-up
   * epoch and {@code settings.warmupFits()} warm-up fits, then {@code settings.repeats()} timed fits, of
   * a new network each; prints the median timed fit's figures as one JSON line.
   */
  private void printFigures(BenchSettings settings, int threads) throws Exception {
    SparkSession spark = SparkSession.builder().appName("neuralake-bench-baseline").master("local[1]")
        .config("spark.ui.enabled", "false").getOrCreate();
    List<DataSet> batches;
    DataSet test;
    try {
      batches = batches(settings.trainSplit(spark).select("features", "label").collectAsList(), settings.batchSize());
      test = batches(BenchSettings.testSplit(spark).select("features", "label").collectAsList(), Integer.MAX_VALUE)
          .get(0);
    } finally {
      spark.stop();
    }
    Nd4j.getEnvironment().setMaxThreads(threads);
    Nd4j.getEnvironment().setMaxMasterThreads(threads);
    Nd4j.factory().blas().setMaxThreads(threads);
    MultiLayerNetwork warmUp = network(settings);
    batches.forEach(warmUp::fit);
    System.out.println(new ObjectMapper().writeValueAsString(RunFigures.medianOf(settings.warmupFits(),
        settings.repeats(),
        () -> fit(network(settings), batches, test, settings.epochs(), setup(threads)))));
  }

  /**
   * A new network of this baseline's configuration; Neuralake's classes include its {@link OwnGradientUpdater}
   * and ND4J's {@link CachedShapeInfo}.
   */
  private MultiLayerNetwork network(BenchSettings settings) {
    MultiLayerNetwork network = new MultiLayerNetwork(configuration(settings).clone());
    network.init();
    if (this == NEURALAKE_CLASSES) {
      CachedShapeInfo.install();
      OwnGradientUpdater.install(network);
    }
    return network;
  }

  private static Map<String, Object> fit(MultiLayerNetwork net, List<DataSet> batches, DataSet test,
                                         int epochs, String setup) throws Exception {
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
    double seconds = trained.seconds();
    Map<String, Object> figures = RunFigures.of(trained.result()[0] / seconds, trained.result()[1],
        accuracy(net, test), setup);
    figures.put("peak_memory_mb", trained.peakMb());
    return figures;
  }

  static double accuracy(MultiLayerNetwork network, DataSet test) {
    INDArray predicted = Nd4j.argMax(network.output(test.getFeatures(), false), 1);
    return predicted.eq(Nd4j.argMax(test.getLabels(), 1)).castTo(DataType.DOUBLE).meanNumber().doubleValue();
  }

  /** Rows as shuffled (seed 1) one-hot mini-batches. */
  static List<DataSet> batches(List<Row> rows, int batchSize) {
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
}
