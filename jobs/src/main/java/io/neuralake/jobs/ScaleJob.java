package io.neuralake.jobs;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.neuralake.estimators.NeuralNetClassificationModel;
import io.neuralake.estimators.NeuralNetClassifier;
import io.neuralake.testdata.FashionMnist;
import io.neuralake.testdata.LocalCluster;
import io.neuralake.train.EpochStats;
import org.apache.spark.sql.SparkSession;

/**
 * Training as the rows grow past the executors' memory: for each row count, a fresh local-cluster
 * of executor JVMs with capped memory trains the bench MLP on Fashion-MNIST grown with augmented
 * copies ({@link FashionMnist#augmented}, made on the executors, never cached or collected), after
 * a 3-epoch fit of up to 60,000 of those rows that warms the new JVMs' JIT, as the bench's warm-up
 * does. The job reports the seconds of the last epoch, of the conversion to batches (the whole
 * fit less its epochs), samples/s over the whole fit, the executors' peak memory (JVM heap from
 * Spark's executor metrics during the fit, process resident size from Linux, warm-up included), the
 * driver's, and what the fit left cached.
 *
 * <pre>
 * scale [--rows 60000,120000,600000] [--executors 2] [--executor-memory-mb 512] [--epochs 2]
 *       [--output target/scale.json]
 * </pre>
 */
public final class ScaleJob {

  /** Rows and epochs of the warm-up fit on each new cluster. */
  private static final long WARMUP_ROWS = 60_000;
  private static final int WARMUP_EPOCHS = 3;

  private ScaleJob() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = TrainJob.options(args);
    long[] rowCounts = Arrays.stream(options.getOrDefault("rows", "60000,120000,600000").split(","))
        .mapToLong(count -> Long.parseLong(count.strip())).toArray();
    int executors = Integer.parseInt(options.getOrDefault("executors", "2"));
    int memoryMb = Integer.parseInt(options.getOrDefault("executor-memory-mb", "512"));
    int epochs = Integer.parseInt(options.getOrDefault("epochs", "2"));
    List<Map<String, Object>> runs = new ArrayList<>();
    for (long rows : rowCounts) {
      runs.add(run(rows, executors, memoryMb, epochs));
    }
    System.out.printf("%n%10s %10s %12s %12s %12s %14s %14s %12s %8s%n", "rows", "s/epoch", "conversion s",
        "samples/s", "test acc", "exec heap MB", "exec RSS MB", "driver MB", "cached");
    for (Map<String, Object> run : runs) {
      System.out.printf("%10d %10.1f %12.1f %12.0f %12.4f %14.0f %14.0f %12.0f %8s%n", run.get("rows"),
          run.get("seconds_per_epoch"), run.get("conversion_seconds"), run.get("samples_per_second"),
          run.get("test_accuracy"),
          run.get("executor_peak_heap_mb"), run.get("executor_peak_rss_mb"), run.get("driver_peak_mb"),
          run.get("rdds_left_cached"));
    }
    Path output = Path.of(options.getOrDefault("output", "target/scale.json"));
    if (output.getParent() != null) {
      Files.createDirectories(output.getParent());
    }
    Files.writeString(output, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(
        Map.of("executors", executors, "executor_memory_mb", memoryMb, "epochs", epochs, "runs", runs)),
        StandardCharsets.UTF_8);
    System.out.println("wrote " + output.toAbsolutePath());
  }

  private static Map<String, Object> run(long rows, int executors, int memoryMb, int epochs) throws Exception {
    SparkSession spark = LocalCluster.start(executors, memoryMb, Map.of(
        "spark.executor.metrics.pollingInterval", "100ms", "spark.executor.heartbeatInterval", "1s"));
    try {
      NeuralNetClassifier classifier = new NeuralNetClassifier().setNetwork("dense(256, relu) -> dense(128, relu)")
          .setEpochs(WARMUP_EPOCHS).setBatchSize(64).setNumWorkers(executors).setSeed(1);
      classifier.fit(FashionMnist.augmented(spark, Math.min(rows, WARMUP_ROWS), 7));
      classifier.setEpochs(epochs);
      ExecutorPeaks peaks = new ExecutorPeaks();
      spark.sparkContext().addSparkListener(peaks);
      PeakMemory.Measured<NeuralNetClassificationModel> fitted =
          PeakMemory.of(() -> classifier.fit(FashionMnist.augmented(spark, rows, 7)));
      double seconds = fitted.seconds();
      Thread.sleep(3000);  // the executors' last heartbeats carry their final peaks
      List<EpochStats> history = fitted.result().summary().epochs();
      double accuracy = new org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator()
          .setMetricName("accuracy").evaluate(fitted.result().transform(
              FashionMnist.load(spark, FashionMnist.Split.TEST, 0)));
      Map<String, Object> figures = new LinkedHashMap<>();
      figures.put("rows", rows);
      figures.put("fit_seconds", seconds);
      double training = history.stream().mapToDouble(EpochStats::seconds).sum();
      figures.put("seconds_per_epoch", history.get(history.size() - 1).seconds());
      figures.put("conversion_seconds", seconds - training);
      figures.put("samples_per_second", rows * epochs / seconds);
      figures.put("test_accuracy", accuracy);
      figures.put("executor_peak_heap_mb", peaks.heapMb());
      figures.put("executor_peak_rss_mb", ExecutorPeaks.residentMb());
      figures.put("driver_peak_mb", fitted.peakMb());
      figures.put("rdds_left_cached", spark.sparkContext().getRDDStorageInfo().length);
      return figures;
    } finally {
      LocalCluster.stop(spark);
    }
  }
}
