package io.neuralake.estimators;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import io.neuralake.testdata.Digits;
import io.neuralake.testing.LocalSpark;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A fit that starts from a saved model's weights (pretrained initialization). */
class InitialModelTest {

  @Test
  void aFitStartsFromTheSavedWeightsAndRefusesAMismatchedNetwork(@TempDir Path dir) throws Exception {
    Dataset<Row> digits = Digits.load(LocalSpark.session());
    NeuralNetClassificationModel pretrained = new NeuralNetClassifier().setEpochs(4).setSeed(1).fit(digits);
    String path = dir.resolve("pretrained").toString();
    pretrained.save(path);

    NeuralNetClassificationModel fresh = new NeuralNetClassifier().setEpochs(1).setSeed(2).fit(digits);
    NeuralNetClassificationModel warm = new NeuralNetClassifier().setEpochs(1).setSeed(2).setInitialModelPath(path)
        .fit(digits);
    double freshLoss = fresh.summary().last().trainLoss();
    double warmLoss = warm.summary().last().trainLoss();
    double pretrainedLoss = pretrained.summary().last().trainLoss();
    assertTrue(warmLoss < 0.5 * freshLoss, "warm start " + warmLoss + " vs fresh " + freshLoss);
    assertTrue(warmLoss < 1.5 * pretrainedLoss, "it goes on where the saved model stopped: " + warmLoss + " vs "
        + pretrainedLoss);

    IllegalArgumentException mismatch = assertThrows(IllegalArgumentException.class,
        () -> new NeuralNetClassifier().setNetwork("dense(8)").setInitialModelPath(path).fit(digits));
    assertTrue(mismatch.getMessage().contains("parameters but this one has"), mismatch.getMessage());
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
        () -> new NeuralNetClassifier().setInitialModelPath(dir.resolve("nothing").toString()).fit(digits));
    assertTrue(missing.getMessage().contains("does not hold a saved neural-net model"), missing.getMessage());
  }
}
