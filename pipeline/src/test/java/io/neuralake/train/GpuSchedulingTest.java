package io.neuralake.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import io.neuralake.data.Batch;
import io.neuralake.data.BatchMaker;
import io.neuralake.data.LabelEncoding;
import io.neuralake.spec.Hyperparameters;
import io.neuralake.spec.NetworkSpec;
import io.neuralake.spec.Optimizer;
import io.neuralake.spec.OutputHead;
import io.neuralake.spec.WeightInitScheme;
import io.neuralake.testdata.Digits;
import io.neuralake.testdata.LocalCluster;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.resource.ResourceInformation;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.collection.JavaConverters;

/**
 * Spark GPU scheduling: each task binds ND4J to the GPU address Spark assigned it. The binding
 * logic runs against fake assignments and a recording backend; a real two-executor cluster whose
 * workers discover two fake GPUs each checks what Spark hands the tasks, and that training runs there.
 */
class GpuSchedulingTest {

  /** A GPU backend with {@code count} devices that records the device each call binds. */
  private static final class RecordingDevices implements GpuBinding.Devices {
    private final boolean gpu;
    private final int count;
    private final List<Integer> used = new ArrayList<>();

    RecordingDevices(boolean gpu, int count) {
      this.gpu = gpu;
      this.count = count;
    }

    @Override
    public boolean gpu() {
      return gpu;
    }

    @Override
    public int count() {
      return count;
    }

    @Override
    public void use(int device) {
      used.add(device);
    }
  }

  private static scala.collection.Map<String, ResourceInformation> gpus(String... addresses) {
    Map<String, ResourceInformation> resources = new HashMap<>();
    if (addresses.length > 0) {
      resources.put(GpuBinding.GPU, new ResourceInformation(GpuBinding.GPU, addresses));
    }
    return JavaConverters.mapAsScalaMap(resources);
  }

  @Test
  void theAssignedGpuIsBound() {
    RecordingDevices devices = new RecordingDevices(true, 4);
    assertEquals(OptionalInt.of(2), GpuBinding.bind(gpus("2"), devices));
    assertEquals(OptionalInt.of(1), GpuBinding.bind(gpus("1", "3"), devices), "a task given two GPUs uses the first");
    assertEquals(List.of(2, 1), devices.used);
  }

  @Test
  void withoutAnAssignedGpuNothingIsBound() {
    RecordingDevices devices = new RecordingDevices(true, 4);
    assertEquals(OptionalInt.empty(), GpuBinding.bind(gpus(), devices));
    assertTrue(devices.used.isEmpty());
  }

  @Test
  void theCpuBackendLeavesAnAssignedGpuUnused() {
    RecordingDevices devices = new RecordingDevices(false, 1);
    assertEquals(OptionalInt.empty(), GpuBinding.bind(gpus("0"), devices));
    assertTrue(devices.used.isEmpty());
    assertFalse(GpuBinding.ND4J.gpu(), "the default build runs ND4J's CPU backend");
  }

  @Test
  void addressesThatAreNotVisibleOrdinalsAreNamed() {
    RecordingDevices devices = new RecordingDevices(true, 2);
    IllegalArgumentException uuid = assertThrows(IllegalArgumentException.class,
        () -> GpuBinding.bind(gpus("GPU-8f2c"), devices));
    assertTrue(uuid.getMessage().contains("'GPU-8f2c'") && uuid.getMessage().contains("device ordinal"),
        uuid.getMessage());
    IllegalStateException missing = assertThrows(IllegalStateException.class,
        () -> GpuBinding.bind(gpus("5"), devices));
    assertTrue(missing.getMessage().contains("GPU 5") && missing.getMessage().contains("only 2 device(s)"),
        missing.getMessage());
    assertTrue(devices.used.isEmpty());
  }

  @Test
  void aClusterWithGpuSchedulingHandsEachTaskOneGpuAndTrains(@TempDir Path dir) throws Exception {
    Path script = dir.resolve("gpus.sh");
    Files.writeString(script, "#!/usr/bin/env bash\necho '{\"name\": \"gpu\", \"addresses\": [\"0\", \"1\"]}'\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    SparkSession spark = LocalCluster.start(2, 1024, Map.of(
        "spark.worker.resource.gpu.amount", "2",
        "spark.worker.resource.gpu.discoveryScript", script.toString(),
        "spark.executor.resource.gpu.amount", "1",
        "spark.task.resource.gpu.amount", "1"));
    try {
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      List<String> assigned = jsc.parallelize(List.of(1, 2, 3, 4), 4).mapPartitions(rows -> {
        String[] addresses = TaskContext.get().resources().get(GpuBinding.GPU).get().addresses();
        OptionalInt bound = GpuBinding.bindTask();
        return List.of(addresses.length + ":" + addresses[0] + ":" + bound.isPresent()).iterator();
      }).collect();
      assertEquals(4, assigned.size());
      for (String task : assigned) {
        assertTrue(task.matches("1:[01]:false"), "one fake GPU per task, left unused on the CPU backend: " + task);
      }

      BatchMaker maker = new BatchMaker("features", "label", LabelEncoding.oneHot(10), 32);
      JavaRDD<Batch> train = maker.batches(Digits.load(spark), 2, 5, Digits.PIXELS, 3).cache();
      MultiLayerNetwork initial = new MultiLayerNetwork(NetworkSpec.mlp(32)
          .toDl4j(new long[] {Digits.PIXELS}, OutputHead.classification(10),
              new Hyperparameters(Optimizer.ADAM, 0.01, 0.9, 0, 0, WeightInitScheme.XAVIER, 3)));
      initial.init();
      TrainingResult result = new ParameterAveragingTrainer(new TrainingPlan(5, 2, 0))
          .fit(NetworkState.of(initial), train, null, ValidationMetric.ACCURACY);
      double accuracy = ParameterAveragingTrainer.evaluate(jsc, train, result.network(), ValidationMetric.ACCURACY)
          .metric(ValidationMetric.ACCURACY);
      System.out.printf("digits on two executors with GPU scheduling (CPU backend): training accuracy %.4f%n",
          accuracy);
      assertTrue(accuracy > 0.8, "trained with GPUs requested: " + accuracy);
    } finally {
      LocalCluster.stop(spark);
    }
  }
}
