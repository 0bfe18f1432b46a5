package io.neuralake.estimators;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.neuralake.testdata.Digits;
import io.neuralake.testing.LocalSpark;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;

/** A fit warns, as Spark MLlib's estimators do, when its input reads no cached rows: each pass computes them again. */
class UncachedInputTest {

  @Test
  void warnsOnlyWhenTheInputIsNotCached() {
    Dataset<Row> digits = Digits.load(LocalSpark.session()).limit(200);
    assertEquals(1, warningsOfFit(digits).size(), "uncached input");
    Dataset<Row> cached = digits.cache();
    try {
      assertEquals(List.of(), warningsOfFit(cached), "cached input");
      assertEquals(List.of(), warningsOfFit(cached.withColumn("weight", functions.lit(1.0))),
          "derived from cached rows");
    } finally {
      cached.unpersist();
    }
  }

  private static List<String> warningsOfFit(Dataset<Row> data) {
    List<String> warnings = new CopyOnWriteArrayList<>();
    AbstractAppender appender = new AbstractAppender("uncached-input", null, null, true, Property.EMPTY_ARRAY) {
      @Override
      public void append(LogEvent event) {
        String message = event.getMessage().getFormattedMessage();
        if (message.contains("reads no cached rows")) {
          warnings.add(message);
        }
      }
    };
    appender.start();
    Logger logger = (Logger) LogManager.getLogger(NeuralNetFitter.class);
    logger.addAppender(appender);
    try {
      new NeuralNetClassifier().setEpochs(1).setNetwork("dense(8)").fit(data);
    } finally {
      logger.removeAppender(appender);
      appender.stop();
    }
    return warnings;
  }
}
