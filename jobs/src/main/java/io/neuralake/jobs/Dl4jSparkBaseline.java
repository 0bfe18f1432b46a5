package io.neuralake.jobs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import io.neuralake.train.NativeThreads;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The bench's (b2): dl4j-spark's own ParameterAveragingTrainingMaster, tuned as STACK.md found best:
 * updater state kept, prefetch 2, the bench's averaging frequency, one ND4J thread per task; full
 * batches only (it needs one example count).
 */
final class Dl4jSparkBaseline {

  private Dl4jSparkBaseline() {}

  /**
   * A warm-up epoch and {@code settings.warmupFits()} warm-up fits, then {@code settings.repeats()} timed
   * fits, each of a new network; the median timed fit's figures.
   */
  static Map<String, Object> run(SparkSession spark, BenchSettings settings, List<DataSet> batches, DataSet test)
      throws Exception {
    int batchSize = settings.batchSize();
    // dl4j-spark leaves ND4J at its default, every core in each task; its tasks run in this JVM.
    NativeThreads.limit(1);
    Path export = Files.createTempDirectory("neuralake-bench-dl4j-spark");
    try {
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      List<DataSet> full = batches.stream().filter(b -> b.numExamples() == batchSize).toList();
      JavaRDD<DataSet> rdd = jsc.parallelize(full, settings.workers()).cache();
      rdd.count();
      java.util.function.Supplier<SparkDl4jMultiLayer> trainer = () -> new SparkDl4jMultiLayer(jsc,
          settings.plainDl4j(), new ParameterAveragingTrainingMaster.Builder(batchSize).batchSizePerWorker(batchSize)
              .averagingFrequency(settings.averaging()).saveUpdater(true).workerPrefetchNumBatches(2)
              .exportDirectory(export.toUri().toString()).build());
      trainer.get().fit(rdd);
      Map<String, Object> median = RunFigures.medianOf(settings.warmupFits(), settings.repeats(),
          () -> fit(trainer.get(), rdd, (long) full.size() * batchSize, settings, test));
      rdd.unpersist(false);
      return median;
    } finally {
      try (var files = Files.walk(export)) {
        files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
      }
    }
  }

  private static Map<String, Object> fit(SparkDl4jMultiLayer trainer, JavaRDD<DataSet> rdd, long epochExamples,
                                         BenchSettings settings, DataSet test) throws Exception {
    int epochs = settings.epochs();
    PeakMemory.Measured<Double> steady = PeakMemory.of(() -> {
      double rate = 0;
      for (int epoch = 0; epoch < epochs; epoch++) {
        long epochStart = System.nanoTime();
        trainer.fit(rdd);
        if (epoch > 0 || epochs == 1) {
          rate += epochExamples / ((System.nanoTime() - epochStart) / 1e9) / Math.max(1, epochs - 1);
        }
      }
      return rate;
    });
    double seconds = steady.seconds();
    Map<String, Object> figures = RunFigures.of(epochExamples * epochs / seconds, steady.result(),
        SingleJvmBaseline.accuracy(trainer.getNetwork(), test), "dl4j-spark ParameterAveragingTrainingMaster, "
            + settings.workers() + " workers, saveUpdater, prefetch 2, averaging every " + settings.averaging());
    figures.put("peak_memory_mb", steady.peakMb());
    return figures;
  }
}
