package io.neuralake.persist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import io.neuralake.spec.Hyperparameters;
import io.neuralake.spec.NetworkSpec;
import io.neuralake.spec.OutputHead;
import io.neuralake.train.EpochStats;
import io.neuralake.train.NetworkState;
import io.neuralake.train.TrainingHistory;
import io.neuralake.train.ValidationMetric;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

class NetworkFilesTest {

  private static final Configuration CONF = new Configuration();

  private static NetworkState trainedState() {
    MultiLayerNetwork network = new MultiLayerNetwork(
        NetworkSpec.mlp(6).toDl4j(new long[] {4}, OutputHead.classification(3), Hyperparameters.defaults(9)));
    network.init();
    Nd4j.getRandom().setSeed(1);
    network.fit(new DataSet(Nd4j.rand(8, 4), Nd4j.eye(3).getRows(0, 1, 2, 0, 1, 2, 0, 1)));
    return NetworkState.of(network);
  }

  private static final TrainingHistory HISTORY = new TrainingHistory(ValidationMetric.ACCURACY,
      List.of(new EpochStats(1, 0.9, Double.NaN, Double.NaN, 1.5, 100), new EpochStats(2, 0.5, 0.6, 0.8, 1.2, 120)));

  @Test
  void roundTripsParametersUpdaterStateAndHistory(@TempDir java.nio.file.Path tmp) throws IOException {
    NetworkState state = trainedState();
    Path dir = new Path(tmp.resolve("net").toUri());
    NetworkFiles.write(state, HISTORY, Map.of("numFeatures", 4), dir, CONF);

    NetworkState read = NetworkFiles.readNetwork(dir, CONF);
    assertEquals(state.configurationJson(), read.configurationJson());
    assertArrayEquals(state.parameters(), read.parameters());
    assertTrue(state.updaterState().length > 0);
    assertArrayEquals(state.updaterState(), read.updaterState());
    assertEquals(HISTORY.epochs().get(1), NetworkFiles.readHistory(dir, CONF).epochs().get(1));
    assertTrue(Double.isNaN(NetworkFiles.readHistory(dir, CONF).epochs().get(0).validationLoss()));
    assertEquals(4, NetworkFiles.readInfo(dir, CONF).get("numFeatures").asInt());
    assertEquals(read.toNetwork().output(Nd4j.ones(1, 4)), state.toNetwork().output(Nd4j.ones(1, 4)));
  }

  @Test
  void aTruncatedParameterFileGivesAClearError(@TempDir java.nio.file.Path tmp) throws IOException {
    Path dir = new Path(tmp.resolve("net").toUri());
    NetworkFiles.write(trainedState(), HISTORY, Map.of(), dir, CONF);
    java.nio.file.Path parameters = tmp.resolve("net").resolve("parameters.bin");
    try (RandomAccessFile file = new RandomAccessFile(parameters.toFile(), "rw")) {
      file.setLength(file.length() - 10);
    }
    IOException e = assertThrows(IOException.class, () -> NetworkFiles.readNetwork(dir, CONF));
    assertTrue(e.getMessage().contains("truncated or corrupt"), e.getMessage());
  }

  @Test
  void aFailedAtomicWriteLeavesNothingBehind(@TempDir java.nio.file.Path tmp) throws IOException {
    Path target = new Path(tmp.resolve("model").toUri());
    assertThrows(IOException.class, () -> AtomicDirectory.write(target, CONF, dir -> {
      NetworkFiles.write(trainedState(), HISTORY, Map.of(), dir, CONF);
      throw new IOException("disk full");
    }));
    try (var files = Files.list(tmp)) {
      assertEquals(0, files.count(), "no target and no temporary directory");
    }
    AtomicDirectory.write(target, CONF, dir -> NetworkFiles.write(trainedState(), HISTORY, Map.of(), dir, CONF));
    assertTrue(Files.isDirectory(tmp.resolve("model")));
    try (var files = Files.list(tmp)) {
      assertFalse(files.anyMatch(p -> p.getFileName().toString().contains(".tmp-")));
    }
  }
}
