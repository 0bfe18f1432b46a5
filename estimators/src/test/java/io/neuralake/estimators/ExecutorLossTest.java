package io.neuralake.estimators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.neuralake.testdata.Digits;
import io.neuralake.testdata.LocalCluster;
import io.neuralake.train.EpochStats;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import scala.collection.JavaConverters;

/**
 * An executor JVM that dies in the middle of an epoch, as one killed for memory does: the fit trains
 * that epoch again from its start and ends as a fit without the loss does.
 */
class ExecutorLossTest {

  /** Kills an executor JVM a tenth of a second after the {@code epoch}th barrier stage (an epoch each) starts a task. */
  private static final class KillerInEpoch extends SparkListener {
    private final int epoch;
    private final AtomicInteger barrierStages = new AtomicInteger();
    final AtomicInteger failedBarrierStages = new AtomicInteger();
    private final AtomicInteger target = new AtomicInteger(-1);
    final AtomicReference<String> killed = new AtomicReference<>();

    KillerInEpoch(int epoch) {
      this.epoch = epoch;
    }

    @Override
    public void onStageSubmitted(SparkListenerStageSubmitted submitted) {
      boolean barrier = JavaConverters.seqAsJavaList(submitted.stageInfo().rddInfos()).stream()
          .anyMatch(rdd -> rdd.isBarrier());
      if (barrier && barrierStages.incrementAndGet() == epoch) {
        target.set(submitted.stageInfo().stageId());
      }
    }

    @Override
    public void onStageCompleted(SparkListenerStageCompleted completed) {
      boolean barrier = JavaConverters.seqAsJavaList(completed.stageInfo().rddInfos()).stream()
          .anyMatch(rdd -> rdd.isBarrier());
      if (barrier && completed.stageInfo().failureReason().isDefined()) {
        failedBarrierStages.incrementAndGet();
      }
    }

    @Override
    public void onTaskStart(SparkListenerTaskStart started) {
      if (started.stageId() != target.getAndSet(-1)) {
        return;
      }
      Thread killer = new Thread(() -> {
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          return;
        }
        // local-cluster's workers run in this JVM; the Java processes they start are the executors.
        ProcessHandle.current().descendants()
            .filter(process -> process.info().command().orElse("").endsWith("java"))
            .findFirst()
            .ifPresent(executor -> {
              killed.set("executor process " + executor.pid());
              executor.destroyForcibly();
            });
      });
      killer.setDaemon(true);
      killer.start();
    }
  }

  @Test
  void anExecutorKilledMidEpochLeavesTheFitAsItWouldHaveBeen() {
    SparkSession spark = LocalCluster.start(2, 1024);
    try {
      Dataset<Row>[] parts = Digits.load(spark).randomSplit(new double[] {0.8, 0.2}, 42);
      NeuralNetClassifier classifier = new NeuralNetClassifier().setNumWorkers(2).setEpochs(8).setSeed(7);
      List<Double> undisturbed = trainLosses(classifier.fit(parts[0]));

      KillerInEpoch killer = new KillerInEpoch(3);
      spark.sparkContext().addSparkListener(killer);
      NeuralNetClassificationModel model = classifier.fit(parts[0]);
      assertTrue(killer.killed.get() != null, "an executor JVM was killed during the third epoch");
      assertEquals(1, killer.failedBarrierStages.get(), "the third epoch's barrier job failed");
      assertEquals(undisturbed, trainLosses(model), "every epoch trained, each as without the loss");
      double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy")
          .evaluate(model.transform(parts[1]));
      System.out.printf("digits with an executor killed in epoch 3: held-out accuracy %.4f%n", accuracy);
      assertTrue(accuracy >= 0.9, "held-out accuracy " + accuracy);
    } finally {
      LocalCluster.stop(spark);
    }
  }

  private static List<Double> trainLosses(NeuralNetClassificationModel model) {
    return model.summary().epochs().stream().map(EpochStats::trainLoss).toList();
  }
}
