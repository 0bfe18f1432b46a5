package io.neuralake.estimators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.neuralake.testdata.Digits;
import io.neuralake.testdata.LocalCluster;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.Tuple2;

/** Training where the workers are separate executor JVMs, as on a real cluster. */
class MultiJvmClusterTest {

  private static SparkSession spark;

  @BeforeAll
  static void startCluster() {
    spark = LocalCluster.start(2, 1024);
  }

  @AfterAll
  static void stopCluster() {
    LocalCluster.stop(spark);
  }

  @Test
  void twoExecutorJvmsTrainAModelThatScoresAndSavesLikeALocalOne(@TempDir Path dir) throws Exception {
    // Wait for both executors to register, so that both workers' tasks run in separate JVMs.
    long deadline = System.currentTimeMillis() + 60_000;
    while (spark.sparkContext().statusTracker().getExecutorInfos().length < 3 && System.currentTimeMillis() < deadline) {
      Thread.onSpinWait();
    }
    assertEquals(3, spark.sparkContext().statusTracker().getExecutorInfos().length, "driver and two executors");

    Dataset<Row>[] parts = Digits.load(spark).randomSplit(new double[] {0.8, 0.2}, 42);
    NeuralNetClassificationModel model = new NeuralNetClassifier().setNumWorkers(2).setEpochs(15).setSeed(7)
        .setValidationFraction(0.1).fit(parts[0]);
    assertEquals(List.of(), executorLocalFiles(), "the fit leaves no shuffle outputs or cached batches on the executors");
    double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(model.transform(parts[1]));
    System.out.printf("digits on two executor JVMs: held-out accuracy %.4f%n%s", accuracy, model.summary());
    assertTrue(accuracy >= 0.93, "held-out accuracy " + accuracy);

    String path = dir.resolve("cluster-model").toString();
    model.save(path);
    assertEquals(model.transform(parts[1]).select("prediction").collectAsList(),
        NeuralNetClassificationModel.load(path).transform(parts[1]).select("prediction").collectAsList());
  }

  /** The files in the executors' Spark local directories, listed by tasks that run on both executors. */
  private static List<String> executorLocalFiles() {
    List<Tuple2<String, List<String>>> listed = JavaSparkContext.fromSparkContext(spark.sparkContext())
        .parallelize(List.of(0, 1, 2, 3, 4, 5, 6, 7), 8).map(task -> {
          Thread.sleep(200);
          // An ArrayList, which Kryo can rebuild (not List.copyOf's): the suite also runs under Kryo.
          return new Tuple2<String, List<String>>(SparkEnv.get().executorId(), new ArrayList<>(SparkLocalFiles.list()));
        }).collect();
    assertEquals(2, listed.stream().map(Tuple2::_1).distinct().count(), "the listing tasks ran on both executors");
    return listed.stream().flatMap(executor -> executor._2().stream()).distinct().toList();
  }
}
