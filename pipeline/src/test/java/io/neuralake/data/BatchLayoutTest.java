package io.neuralake.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import io.neuralake.testdata.Digits;
import io.neuralake.testing.LocalSpark;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
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
  void everyRowLandsInExactlyOneBatchTheSameWayForTheSameSeed() {
    Dataset<Row> digits = Digits.load(LocalSpark.session()).repartition(3);
    List<String> expected = digits.collectAsList().stream()
        .map(row -> rowKey(((org.apache.spark.ml.linalg.Vector) row.getAs("features")).toArray(),
            (int) row.getDouble(row.fieldIndex("label"))))
        .sorted().toList();
    List<Batch> first = BATCHES.batches(digits, 2, 3, Digits.PIXELS, 7).collect();
    List<String> actual = new java.util.ArrayList<>();
    for (Batch batch : first) {
      for (int row = 0; row < batch.rows(); row++) {
        double[] features = new double[Digits.PIXELS];
        for (int i = 0; i < Digits.PIXELS; i++) {
          features[i] = batch.features()[row * Digits.PIXELS + i];
        }
        int label = 0;
        while (batch.labels()[row * 10 + label] == 0) {
          label++;
        }
        actual.add(rowKey(features, label));
      }
    }
    assertEquals(expected, actual.stream().sorted().toList());
    List<Batch> second = BATCHES.batches(digits, 2, 3, Digits.PIXELS, 7).collect();
    assertEquals(first.size(), second.size());
    for (int i = 0; i < first.size(); i++) {
      assertTrue(java.util.Arrays.equals(first.get(i).features(), second.get(i).features()), "batch " + i);
    }
    List<Batch> otherSeed = BATCHES.batches(digits, 2, 3, Digits.PIXELS, 8).collect();
    assertTrue(!java.util.Arrays.equals(first.get(0).features(), otherSeed.get(0).features()),
        "another seed orders the rows differently");
  }

  private static String rowKey(double[] features, int label) {
    return label + ":" + java.util.Arrays.toString(java.util.Arrays.stream(features).map(v -> (float) v).toArray());
  }

  @Test
  void sparseFeaturesGiveTheSameBatchesAsDenseOnes() {
    Dataset<Row> dense = Digits.load(LocalSpark.session());
    Dataset<Row> sparse = dense.withColumn("features", functions.udf(
        (Vector vector) -> vector.toSparse(), SQLDataTypes.VectorType()).apply(dense.col("features")));
    List<Batch> expected = BATCHES.batches(dense, 2, 3, Digits.PIXELS, 7).collect();
    List<Batch> actual = BATCHES.batches(sparse, 2, 3, Digits.PIXELS, 7).collect();
    assertEquals(expected.size(), actual.size());
    for (int i = 0; i < expected.size(); i++) {
      assertArrayEquals(expected.get(i).features(), actual.get(i).features(), "batch " + i);
      assertArrayEquals(expected.get(i).labels(), actual.get(i).labels(), "batch " + i);
    }
  }

  @Test
  void perStepLabelsOfAnyNumericTypeAreRead() {
    Dataset<Row> rows = LocalSpark.session().createDataFrame(
        List.of(RowFactory.create(Vectors.dense(1, 2), List.of(0, 2, 1))),
        new StructType().add("features", SQLDataTypes.VectorType())
            .add("tags", DataTypes.createArrayType(DataTypes.IntegerType)));
    Batch batch = new BatchMaker("features", "tags", LabelEncoding.oneHot(3), 3, 4)
        .batches(rows, 1, Integer.MAX_VALUE, 2, 1).first();
    assertArrayEquals(new float[] {1, 0, 0, 0, 0, 1, 0, 1, 0}, batch.labels(), "one-hot, step by step");
  }

  @Test
  void oneRoundGivesOnePartitionPerWorker() {
    JavaRDD<Batch> batches = BATCHES.batches(Digits.load(LocalSpark.session()), 3, Integer.MAX_VALUE, Digits.PIXELS, 1);
    assertEquals(3, batches.getNumPartitions());
  }

  @Test
  void rowsTooWideToBufferManyAtOnceAllArriveWithTheirLabels() {
    // The conversion buffers 2^21 values: 17 of these rows, so one task flushes its 60 rows 4 times.
    int width = 120_000;
    List<Row> rows = new java.util.ArrayList<>();
    for (int id = 0; id < 60; id++) {
      double[] features = new double[width];
      features[0] = id;
      features[width - 1] = -id;
      rows.add(RowFactory.create(Vectors.dense(features), (double) (id % 10)));
    }
    Dataset<Row> data = LocalSpark.session().createDataFrame(rows, new StructType()
        .add("features", SQLDataTypes.VectorType()).add("label", DataTypes.DoubleType)).coalesce(1);
    List<String> arrived = new java.util.ArrayList<>();
    for (Batch batch : BATCHES.batches(data, 2, 1, width, 3).collect()) {
      for (int row = 0; row < batch.rows(); row++) {
        int id = (int) batch.features()[row * width];
        int label = 0;
        while (batch.labels()[row * 10 + label] == 0) {
          label++;
        }
        arrived.add(id + "," + (int) -batch.features()[row * width + width - 1] + "," + label);
      }
    }
    assertEquals(java.util.stream.IntStream.range(0, 60).mapToObj(id -> id + "," + id + "," + id % 10).sorted().toList(),
        arrived.stream().sorted().toList());
  }
}
