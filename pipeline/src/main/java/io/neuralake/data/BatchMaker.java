package io.neuralake.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * The one DataFrame-to-tensor conversion: rows are spread evenly over the workers and their
 * averaging rounds, shuffled within each with a seed, and packed into {@link Batch}es on the executors.
 *
 * @param featuresCol the vector column with the inputs
 * @param labelCol the label column (double, or an array of doubles with per-step labels), or null
 *     when the targets are the features themselves
 * @param encoding how labels become targets, null with a null {@code labelCol}
 * @param labelSteps 0 for one label per row, else the number of per-step labels each row holds
 * @param batchSize examples per batch
 */
public record BatchMaker(String featuresCol, String labelCol, LabelEncoding encoding, int labelSteps, int batchSize)
    implements java.io.Serializable {

  private static final String POSITION = "__neuralake_position";

  public BatchMaker {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
    }
  }

  /** Batches with one label per row. */
  public BatchMaker(String featuresCol, String labelCol, LabelEncoding encoding, int batchSize) {
    this(featuresCol, labelCol, encoding, 0, batchSize);
  }

  /** Batches whose targets are their features, for networks that reconstruct their input. */
  public static BatchMaker reconstruction(String featuresCol, int batchSize) {
    return new BatchMaker(featuresCol, null, null, batchSize);
  }

  /**
   * The batches of {@code data} for {@code workers} workers that average their parameters every
   * {@code batchesPerRound} batches or so: rows are spread over {@code workers × rounds} partitions by
   * a hash of their position, partition {@code round × workers + worker} holding one worker's
   * batches of one round, and shuffled within it with the seed.
   * A round then reads only its own partitions, wherever Spark stores them (memory or disk), so its
   * cost does not grow with the rows. {@code batchesPerRound} of {@link Integer#MAX_VALUE} gives one
   * partition per worker. Rows are validated on the executors: a null or wrongly sized vector, or
   * a bad label, fails the job with a message naming the column and the value.
   */
  public JavaRDD<Batch> batches(Dataset<Row> data, int workers, int batchesPerRound, int featureSize, long seed) {
    if (workers < 1 || batchesPerRound < 1) {
      throw new IllegalArgumentException("workers and batchesPerRound must be >= 1, got " + workers + " and "
          + batchesPerRound);
    }
    Dataset<Row> columns = labelCol == null ? data.select(featuresCol) : data.select(featuresCol, labelCol);
    long rowsPerRound = (long) workers * batchSize * batchesPerRound;
    long rounds = Math.max(1, (columns.count() + rowsPerRound - 1) / rowsPerRound);
    // Spread by the hash of a position, the last column: round-robin repartitioning would sort every
    // row first to stay deterministic, which spills to disk on executors with little memory.
    return columns.withColumn(POSITION, functions.monotonically_increasing_id())
        .repartition(Math.toIntExact(workers * rounds), functions.col(POSITION))
        .javaRDD()
        .mapPartitionsWithIndex((partition, rows) -> pack(rows, featureSize, new Random(seed + partition)), true);
  }

  private Iterator<Batch> pack(Iterator<Row> rows, int featureSize, Random random) {
    List<Row> buffered = new ArrayList<>();
    rows.forEachRemaining(buffered::add);
    // Shuffle files arrive in any order; sorted by position first, the seed decides the batches.
    buffered.sort(Comparator.comparingLong(row -> row.getLong(row.length() - 1)));
    Collections.shuffle(buffered, random);
    List<Batch> batches = new ArrayList<>();
    int labelSize = encoding == null ? featureSize : encoding.width() * Math.max(1, labelSteps);
    for (int start = 0; start < buffered.size(); start += batchSize) {
      int count = Math.min(batchSize, buffered.size() - start);
      float[] features = new float[count * featureSize];
      float[] labels = new float[count * labelSize];
      for (int i = 0; i < count; i++) {
        Row row = buffered.get(start + i);
        copyFeatures(row, features, i * featureSize, featureSize);
        if (encoding == null) {
          System.arraycopy(features, i * featureSize, labels, i * featureSize, featureSize);
          continue;
        }
        if (row.isNullAt(1)) {
          throw new IllegalArgumentException("label column '" + labelCol + "' holds a null; drop such rows before fitting");
        }
        if (labelSteps > 0) {
          encodeSteps(row.getList(1), labels, i * labelSize);
        } else {
          encoding.encode(row.getDouble(1), labels, i * labelSize, labelCol);
        }
      }
      batches.add(new Batch(features, labels, count, featureSize, labelSize, labelSteps));
    }
    return batches.iterator();
  }

  private void encodeSteps(List<Object> steps, float[] target, int offset) {
    if (steps.size() != labelSteps) {
      throw new IllegalArgumentException("label column '" + labelCol + "' holds a sequence of " + steps.size()
          + " labels but the network outputs " + labelSteps + " steps; every row needs one label per step");
    }
    for (int t = 0; t < labelSteps; t++) {
      if (!(steps.get(t) instanceof Number label)) {
        throw new IllegalArgumentException("label column '" + labelCol + "' holds a null at step " + t
            + "; every step needs a label");
      }
      encoding.encode(label.doubleValue(), target, offset + t * encoding.width(), labelCol);
    }
  }

  private void copyFeatures(Row row, float[] target, int offset, int featureSize) {
    if (row.isNullAt(0)) {
      throw new IllegalArgumentException("features column '" + featuresCol + "' holds a null vector; "
          + "drop such rows or fill them before fitting");
    }
    Vector vector = row.getAs(0);
    if (vector.size() != featureSize) {
      throw new IllegalArgumentException("features column '" + featuresCol + "' holds a vector of size "
          + vector.size() + " but the network was built for " + featureSize + "; all vectors must have one size");
    }
    double[] values = vector.toArray();
    for (int i = 0; i < featureSize; i++) {
      target[offset + i] = (float) values[i];
    }
  }
}
