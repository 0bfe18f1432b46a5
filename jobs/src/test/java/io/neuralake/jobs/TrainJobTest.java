package io.neuralake.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import io.neuralake.testdata.Digits;
import io.neuralake.testing.LocalSpark;
import org.apache.spark.ml.PipelineModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainJobTest {

  @Test
  void trainsOnBundledDigitsAndSavesAPipelineThatLoads(@TempDir Path dir) throws Exception {
    String output = dir.resolve("model").toString();
    double accuracy = TrainJob.run(LocalSpark.session(), TrainJob.options(
        new String[] {"train", "--epochs", "8", "--output", output}));
    assertTrue(accuracy > 0.9, "held-out accuracy " + accuracy);
    PipelineModel loaded = PipelineModel.load(output);
    assertEquals(Digits.SIZE, loaded.transform(Digits.load(LocalSpark.session())).count());
  }

  @Test
  void optionsComeInPairsAndUnknownDataIsNamed() {
    assertEquals(Map.of("epochs", "3", "data", "digits"),
        TrainJob.options(new String[] {"--epochs", "3", "--data", "digits"}));
    IllegalArgumentException pairs = assertThrows(IllegalArgumentException.class,
        () -> TrainJob.options(new String[] {"--epochs"}));
    assertTrue(pairs.getMessage().contains("expected '--option value' pairs"), pairs.getMessage());
    IllegalArgumentException data = assertThrows(IllegalArgumentException.class,
        () -> TrainJob.run(LocalSpark.session(), Map.of("data", "cifar")));
    assertTrue(data.getMessage().contains("--data 'cifar' is unknown"), data.getMessage());
  }
}
