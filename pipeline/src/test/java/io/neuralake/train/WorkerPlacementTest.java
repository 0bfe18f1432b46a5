package io.neuralake.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.neuralake.data.Batch;
import io.neuralake.data.BatchMaker;
import io.neuralake.data.LabelEncoding;
import io.neuralake.spec.Hyperparameters;
import io.neuralake.spec.NetworkSpec;
import io.neuralake.spec.OutputHead;
import io.neuralake.testdata.Digits;
import io.neuralake.testdata.LocalCluster;
import io.neuralake.testing.LocalSpark;
import org.apache.spark.NarrowDependency;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.BlockManagerId;
import org.apache.spark.storage.RDDBlockId;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import scala.collection.JavaConverters;

/** Rounds read their own partitions, and each worker's batches live and train on one executor. */
class WorkerPlacementTest {

  private static final BatchMaker BATCHES = new BatchMaker("features", "label", LabelEncoding.oneHot(10), 32);

  @Test
  void aRoundSelectsItsWorkersPartitionsAndPrefersTheirExecutors() {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(LocalSpark.session().sparkContext());
    JavaRDD<Batch> batches = jsc.parallelize(List.of(batch(0), batch(1), batch(2), batch(3), batch(4), batch(5)), 6);
    String[] executors = {"executor_host_a", "executor_host_b"};
    JavaRDD<Batch> round = WorkerPartitions.round(batches, 1, 3, executors);
    assertEquals(3, round.getNumPartitions());
    assertArrayEquals(new float[] {3, 4, 5}, firstFeatures(round.collect()));
    assertEquals(List.of("executor_host_a"), locations(round, 0));
    assertEquals(List.of("executor_host_b"), locations(round, 1));
    assertEquals(List.of("executor_host_a"), locations(round, 2));
    assertEquals(List.of(), locations(WorkerPartitions.round(batches, 0, 3, new String[0]), 0));
    WorkerEpochs computing = WorkerEpochs.computing(batches.rdd(), 3, executors);
    assertEquals(List.of("executor_host_b"), JavaConverters.seqAsJavaList(
        computing.preferredLocations(computing.partitions()[1])));
    assertEquals(List.of(1, 4), JavaConverters.seqAsJavaList(
        ((NarrowDependency<?>) computing.dependencies().head()).getParents(1)), "worker 1 reads rounds 0 and 1");
  }

  @Test
  void partitionsThatDoNotSplitIntoRoundsAreRefused() {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(LocalSpark.session().sparkContext());
    JavaRDD<Batch> batches = jsc.parallelize(List.of(batch(0), batch(1), batch(2)), 3);
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> new ParameterAveragingTrainer(new TrainingPlan(1, 2, 0)).fit(network(), batches, null,
            ValidationMetric.ACCURACY));
    assertTrue(error.getMessage().contains("3 partitions, which do not split into rounds of 2 workers"),
        error.getMessage());
  }

  @Test
  void onTwoExecutorsEachWorkersBatchesAreCachedOnItsOwnExecutor() {
    SparkSession spark = LocalCluster.start(2, 1024);
    try {
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      JavaRDD<Batch> batches = BATCHES.batches(Digits.load(spark), 2, 3, Digits.PIXELS, 5).cache();
      TrainingResult result = new ParameterAveragingTrainer(new TrainingPlan(1, 2, 0))
          .fit(network(), batches, null, ValidationMetric.ACCURACY);
      assertEquals(1, result.history().epochs().size());
      Set<String> workerZero = new HashSet<>();
      Set<String> workerOne = new HashSet<>();
      for (int partition = 0; partition < batches.getNumPartitions(); partition++) {
        for (BlockManagerId holder : JavaConverters.seqAsJavaList(SparkEnv.get().blockManager().master()
            .getLocations(new RDDBlockId(batches.id(), partition)))) {
          (partition % 2 == 0 ? workerZero : workerOne).add(holder.executorId());
        }
      }
      assertTrue(batches.getNumPartitions() >= 6, "several rounds: " + batches.getNumPartitions());
      assertEquals(1, workerZero.size(), "worker 0's rounds on one executor: " + workerZero);
      assertEquals(1, workerOne.size(), "worker 1's rounds on one executor: " + workerOne);
      assertTrue(!workerZero.equals(workerOne), "the workers on different executors: " + workerZero + workerOne);
      assertEquals(Set.of("1=0", "0=0"), networksHeldPerExecutor(spark), "the last epoch's workers drop the networks");
      new ParameterAveragingTrainer(new TrainingPlan(2, 2, 0), ParameterAveragingTrainer.Averaging.ON_THE_DRIVER)
          .fit(network(), batches, null, ValidationMetric.ACCURACY);
      assertEquals(Set.of("1=0", "0=0"), networksHeldPerExecutor(spark), "a job drops those of rounds the driver averaged");
      batches.unpersist(true);
    } finally {
      LocalCluster.stop(spark);
    }
  }

  /** "executor id=networks it holds", by a task on each executor. */
  private static Set<String> networksHeldPerExecutor(SparkSession spark) {
    return new HashSet<>(WorkerPartitions.onePerExecutor(spark.sparkContext(),
            WorkerPartitions.executors(spark.sparkContext()))
        .map(executor -> SparkEnv.get().executorId() + "=" + WorkerNetworks.held()).collect());
  }

  private static NetworkState network() {
    MultiLayerNetwork network = new MultiLayerNetwork(NetworkSpec.mlp(16).toDl4j(new long[] {Digits.PIXELS},
        OutputHead.classification(10), Hyperparameters.defaults(3)));
    network.init();
    return NetworkState.of(network);
  }

  private static Batch batch(int value) {
    float[] features = new float[Digits.PIXELS];
    features[0] = value;
    float[] labels = new float[10];
    labels[value % 10] = 1;
    return new Batch(features, labels, 1, Digits.PIXELS, 10);
  }

  private static float[] firstFeatures(List<Batch> batches) {
    float[] firsts = new float[batches.size()];
    for (int i = 0; i < firsts.length; i++) {
      firsts[i] = batches.get(i).features()[0];
    }
    return firsts;
  }

  private static List<String> locations(JavaRDD<Batch> rdd, int partition) {
    return JavaConverters.seqAsJavaList(rdd.rdd().preferredLocations(rdd.partitions().get(partition)));
  }
}
