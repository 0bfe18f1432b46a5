package io.neuralake.estimators;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import io.neuralake.data.Batch;
import io.neuralake.testdata.Digits;
import org.apache.spark.SparkEnv;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.serializer.SerializerInstance;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.reflect.ClassTag$;

/**
 * Sessions that set {@code spark.serializer} to Kryo, as many production ones do: Spark then
 * serializes shuffled rows, cached batches, broadcasts and task results with Kryo, whose field
 * serializer cannot read Java records on Java 17.
 */
class KryoSerializerTest {

  private static SparkSession spark;
  private static Dataset<Row> train;
  private static Dataset<Row> test;

  @BeforeAll
  static void startKryoSession() {
    SparkSession.getDefaultSession().foreach(session -> {
      session.stop();
      return null;
    });
    spark = SparkSession.builder()
        .master("local[2]")
        .appName("neuralake-kryo")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
        .config("spark.task.maxDirectResultSize", "64m")
        .getOrCreate();
    Dataset<Row>[] parts = Digits.load(spark).randomSplit(new double[] {0.8, 0.2}, 42);
    train = parts[0].cache();
    test = parts[1].cache();
  }

  @AfterAll
  static void stopKryoSession() {
    spark.stop();
    SparkSession.clearActiveSession();
    SparkSession.clearDefaultSession();
  }

  @Test
  void workersAveragingAmongThemselvesTrainScoreAndSave(@TempDir Path dir) throws Exception {
    NeuralNetClassificationModel model = new NeuralNetClassifier().setNumWorkers(2).setEpochs(15).setSeed(7)
        .setValidationFraction(0.1).fit(train);
    double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(model.transform(test));
    System.out.printf("digits under Kryo, 2 workers: held-out accuracy %.4f%n", accuracy);
    assertTrue(accuracy >= 0.93, "held-out accuracy " + accuracy);
    assertEquals(15, model.summary().epochs().size());
    assertTrue(Double.isFinite(model.summary().epochs().get(14).validationLoss()), "validation ran");

    String path = dir.resolve("kryo-model").toString();
    model.save(path);
    assertEquals(model.transform(test).select("probability").collectAsList(),
        NeuralNetClassificationModel.load(path).transform(test).select("probability").collectAsList());
  }

  @Test
  void moreWorkersThanTaskSlotsAverageOnTheDriver() {
    NeuralNetClassificationModel model = new NeuralNetClassifier().setNumWorkers(3).setEpochs(15).setSeed(7).fit(train);
    double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(model.transform(test));
    System.out.printf("digits under Kryo, 3 workers averaged on the driver: held-out accuracy %.4f%n", accuracy);
    assertTrue(accuracy >= 0.93, "held-out accuracy " + accuracy);
  }

  @Test
  void batchesSurviveKryoAsWhenACacheSpillsToDisk() {
    SerializerInstance kryo = SparkEnv.get().serializer().newInstance();
    Batch batch = new Batch(new float[] {1, 2, 3, 4, 5, 6}, new float[] {0, 1}, 2, 3, 1, 0);
    Batch read = kryo.deserialize(kryo.serialize(batch, ClassTag$.MODULE$.apply(Batch.class)),
        ClassTag$.MODULE$.apply(Batch.class));
    assertArrayEquals(batch.features(), read.features());
    assertArrayEquals(batch.labels(), read.labels());
    assertEquals(batch.rows(), read.rows());
  }
}
