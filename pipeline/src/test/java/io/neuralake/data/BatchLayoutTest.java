package io.neuralake.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import io.neuralake.testdata.Digits;
import io.neuralake.testing.LocalSpark;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** Batches laid out by worker and averaging round. */
class BatchLayoutTest {

  private static final BatchMaker BATCHES = new BatchMaker("features", "label", LabelEncoding.oneHot(10), 32);

  @Test
  void everyWorkerGetsOnePartitionPerRoundOfAboutItsBatches() {
    Dataset<Row> digits = Digits.load(LocalSpark.session());
    long rows = digits.count();
    JavaRDD<Batch> batches = BATCHES.batches(digits, 2, 5, Digits.PIXELS, 1);
    int rounds = (int) ((rows + 2 * 32 * 5 - 1) / (2 * 32 * 5));
    assertEquals(2 * rounds, batches.getNumPartitions());
    List<Integer> rowsPerPartition = batches.mapPartitions(part -> {
      int sum = 0;
      while (part.hasNext()) {
        sum += part.next().rows();
      }
      return List.of(sum).iterator();
    }).collect();
    assertEquals(rows, rowsPerPartition.stream().mapToLong(Integer::longValue).sum(), "every row once");
    double mean = (double) rows / rowsPerPartition.size();
    assertTrue(rowsPerPartition.stream().allMatch(count -> count > 0.5 * mean && count < 1.5 * mean),
        "rounds are about even (a hash spreads the rows): " + rowsPerPartition);
  }

  @Test
  void oneRoundGivesOnePartitionPerWorker() {
    JavaRDD<Batch> batches = BATCHES.batches(Digits.load(LocalSpark.session()), 3, Integer.MAX_VALUE, Digits.PIXELS, 1);
    assertEquals(3, batches.getNumPartitions());
  }
}
