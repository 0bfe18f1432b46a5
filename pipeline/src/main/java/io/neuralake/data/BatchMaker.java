package io.neuralake.data;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;

import org.apache.spark.Dependency;
import org.apache.spark.HashPartitioner;
import org.apache.spark.MapOutputTrackerMaster;
import org.apache.spark.ShuffleDependency;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.unsafe.hash.Murmur3_x86_32;
import scala.Option;
import scala.Tuple2;
import scala.reflect.ClassTag$;

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
   * partition per worker. Rows become floats before the shuffle, and are validated there: a null or
   * wrongly sized vector, or a bad label, fails the job with a message naming the column and the value.
   */
  public JavaRDD<Batch> batches(Dataset<Row> data, int workers, int batchesPerRound, int featureSize, long seed) {
    if (workers < 1 || batchesPerRound < 1) {
      throw new IllegalArgumentException("workers and batchesPerRound must be >= 1, got " + workers + " and "
          + batchesPerRound);
    }
    // Labels as doubles (a no-op for Spark's predictors, which cast them already), so that rows can be read
    // as Spark's internal rows, without a Row and a double[] per vector: 0.8 s instead of 0.9 s for the
    // bench's 60,000 rows on local[2].
    Dataset<Row> columns = labelCol == null ? data.select(featuresCol) : data.select(data.col(featuresCol),
        data.col(labelCol).cast(labelSteps > 0 ? DataTypes.createArrayType(DataTypes.DoubleType)
            : DataTypes.DoubleType));
    long rowsPerRound = (long) workers * batchSize * batchesPerRound;
    // The rows of a column-less projection, counted by a task per core where the rows are cached: one job
    // without a shuffle, where count() runs two, a task per partition, and leaves shuffle files behind.
    long rowCount = columns.select().queryExecution().toRdd().coalesce(
        data.sparkSession().sparkContext().defaultParallelism(), false,
        Option.apply(new CachedPartitionGroups()), null).count();
    long rounds = Math.max(1, (rowCount + rowsPerRound - 1) / rowsPerRound);
    int partitions = Math.toIntExact(workers * rounds);
    int labelSize = encoding == null ? 0 : encoding.width() * Math.max(1, labelSteps);
    JavaRDD<SourceRows> sources = columns.queryExecution().toRdd().toJavaRDD()
        .mapPartitionsWithIndex((source, rows) -> List.of(new SourceRows(source, rows)).iterator(), true);
    // A task per core rather than per source partition: on two executors the tasks' own overhead was
    // about as long as their work.
    return JavaRDD.fromRDD(sources.rdd().coalesce(data.sparkSession().sparkContext().defaultParallelism(), false,
            Option.apply(new CachedPartitionGroups()), null), ClassTag$.MODULE$.apply(SourceRows.class))
        .mapPartitionsToPair(sourceRows -> new Blocks(sourceRows, partitions, featureSize, labelSize))
        // Combined on the map side, a task's blocks leave as one sorted file rather than one file per layout
        // partition (Spark's path for shuffles without it), which took 15 times the write time.
        .combineByKey(BatchMaker::listOf, BatchMaker::append, BatchMaker::appendAll, new HashPartitioner(partitions))
        .values()
        .mapPartitionsWithIndex((partition, lists) -> pack(lists, featureSize, labelSize,
            new Random(seed + partition)), true);
  }

  /**
   * Removes what {@code batches}, made by {@link #batches}, keep on the executors: their cached blocks and
   * the files of the shuffle that laid them out, which Spark would otherwise keep until its context cleaner
   * finds the batches unreachable. The batches cannot be computed again afterwards.
   */
  public static void release(JavaRDD<Batch> batches) {
    if (!batches.getStorageLevel().equals(StorageLevel.NONE())) {
      batches.unpersist(true);
    }
    RDD<?> rdd = batches.rdd();
    while (!rdd.dependencies().isEmpty()) {
      Dependency<?> dependency = rdd.dependencies().head();
      if (dependency instanceof ShuffleDependency<?, ?, ?> shuffle) {
        removeShuffle(rdd.context(), shuffle.shuffleId());
        return;
      }
      rdd = dependency.rdd();
    }
  }

  /** What Spark's context cleaner does for a shuffle it finds unreachable, now. */
  private static void removeShuffle(SparkContext sc, int shuffleId) {
    MapOutputTrackerMaster tracker = (MapOutputTrackerMaster) SparkEnv.get().mapOutputTracker();
    if (tracker.containsShuffle(shuffleId)) {
      sc.shuffleDriverComponents().removeShuffle(shuffleId, true);
      tracker.unregisterShuffle(shuffleId);
    }
  }

  /** The rows of source partition {@code index}, read as they are iterated (Spark may reuse one row object). */
  private record SourceRows(int index, Iterator<InternalRow> rows) {}

  /**
   * Converts source partitions' rows into {@link RowBlock}s keyed by their layout partition, a
   * few megabytes at a time. A row's position is its source partition and index, as Spark's
   * {@code monotonically_increasing_id} numbers rows, and its partition Spark's Murmur3 hash of it.
   * Rows are converted into one reused buffer, then copied once into blocks of their exact size.
   */
  private final class Blocks implements Iterator<Tuple2<Integer, RowBlock>> {

    /** Values buffered before the blocks go out. */
    private static final int BUFFERED_VALUES = 1 << 21;

    private final Iterator<SourceRows> sources;
    private Iterator<InternalRow> rows = Collections.emptyIterator();
    private long firstPosition;
    private final int partitions;
    private final int featureSize;
    private final int labelSize;
    private final long[] positions;
    private final int[] partitionOf;
    private final float[] features;
    private final float[] labels;
    private int buffered;
    private final ArrayDeque<Tuple2<Integer, RowBlock>> ready = new ArrayDeque<>();
    private long index;

    Blocks(Iterator<SourceRows> sources, int partitions, int featureSize, int labelSize) {
      this.sources = sources;
      this.partitions = partitions;
      this.featureSize = featureSize;
      this.labelSize = labelSize;
      int capacity = Math.max(1, BUFFERED_VALUES / (featureSize + labelSize));
      this.positions = new long[capacity];
      this.partitionOf = new int[capacity];
      this.features = new float[capacity * featureSize];
      this.labels = new float[capacity * labelSize];
    }

    @Override
    public boolean hasNext() {
      while (ready.isEmpty() && nextRow()) {
        add(rows.next());
        if (buffered == positions.length) {
          flush();
        }
      }
      if (ready.isEmpty()) {
        flush();
      }
      return !ready.isEmpty();
    }

    /** Whether a row is left, moving on to the next source partition where this one is done. */
    private boolean nextRow() {
      while (!rows.hasNext() && sources.hasNext()) {
        SourceRows source = sources.next();
        rows = source.rows();
        firstPosition = (long) source.index() << 33;
        index = 0;
      }
      return rows.hasNext();
    }

    @Override
    public Tuple2<Integer, RowBlock> next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return ready.poll();
    }

    private void add(InternalRow row) {
      long position = firstPosition + index++;
      copyFeatures(row, features, buffered * featureSize, featureSize);
      if (encoding != null) {
        int offset = buffered * labelSize;
        // Encodings write only their non-zero values.
        Arrays.fill(labels, offset, offset + labelSize, 0f);
        if (row.isNullAt(1)) {
          throw new IllegalArgumentException("label column '" + labelCol
              + "' holds a null; drop such rows before fitting");
        }
        if (labelSteps > 0) {
          encodeSteps(row.getArray(1), labels, offset);
        } else {
          encoding.encode(row.getDouble(1), labels, offset, labelCol);
        }
      }
      positions[buffered] = position;
      partitionOf[buffered] = Math.floorMod(Murmur3_x86_32.hashLong(position, 42), partitions);
      buffered++;
    }

    private void flush() {
      int[] counts = new int[partitions];
      for (int row = 0; row < buffered; row++) {
        counts[partitionOf[row]]++;
      }
      RowBlock[] blocks = new RowBlock[partitions];
      for (int partition = 0; partition < partitions; partition++) {
        if (counts[partition] > 0) {
          blocks[partition] = new RowBlock(new long[counts[partition]], new float[counts[partition] * featureSize],
              new float[counts[partition] * labelSize]);
          ready.add(new Tuple2<>(partition, blocks[partition]));
        }
      }
      int[] filled = new int[partitions];
      for (int row = 0; row < buffered; row++) {
        RowBlock block = blocks[partitionOf[row]];
        int slot = filled[partitionOf[row]]++;
        block.positions()[slot] = positions[row];
        System.arraycopy(features, row * featureSize, block.features(), slot * featureSize, featureSize);
        System.arraycopy(labels, row * labelSize, block.labels(), slot * labelSize, labelSize);
      }
      buffered = 0;
    }
  }

  private static List<RowBlock> listOf(RowBlock block) {
    List<RowBlock> blocks = new ArrayList<>();
    blocks.add(block);
    return blocks;
  }

  private static List<RowBlock> append(List<RowBlock> blocks, RowBlock block) {
    blocks.add(block);
    return blocks;
  }

  private static List<RowBlock> appendAll(List<RowBlock> blocks, List<RowBlock> more) {
    blocks.addAll(more);
    return blocks;
  }

  private Iterator<Batch> pack(Iterator<List<RowBlock>> lists, int featureSize, int labelSize, Random random) {
    List<RowBlock> received = new ArrayList<>();
    lists.forEachRemaining(received::addAll);
    RowBlock.Sequence rows = new RowBlock.Sequence(received);
    // Shuffle blocks arrive in any order; sorted by position first, the seed decides the batches.
    List<Integer> order = new ArrayList<>(rows.rows());
    for (int row = 0; row < rows.rows(); row++) {
      order.add(row);
    }
    order.sort(Comparator.comparingLong(rows::position));
    Collections.shuffle(order, random);
    int targetSize = encoding == null ? featureSize : labelSize;
    List<Batch> batches = new ArrayList<>();
    for (int start = 0; start < order.size(); start += batchSize) {
      int count = Math.min(batchSize, order.size() - start);
      float[] features = new float[count * featureSize];
      float[] targets = new float[count * targetSize];
      for (int i = 0; i < count; i++) {
        int row = order.get(start + i);
        rows.copyFeatures(row, featureSize, features, i * featureSize);
        if (encoding != null) {
          rows.copyLabels(row, labelSize, targets, i * labelSize);
        }
      }
      if (encoding == null) {
        System.arraycopy(features, 0, targets, 0, features.length);
      }
      batches.add(new Batch(features, targets, count, featureSize, targetSize, labelSteps));
    }
    return batches.iterator();
  }

  private void encodeSteps(ArrayData steps, float[] target, int offset) {
    if (steps.numElements() != labelSteps) {
      throw new IllegalArgumentException("label column '" + labelCol + "' holds a sequence of " + steps.numElements()
          + " labels but the network outputs " + labelSteps + " steps; every row needs one label per step");
    }
    for (int t = 0; t < labelSteps; t++) {
      if (steps.isNullAt(t)) {
        throw new IllegalArgumentException("label column '" + labelCol + "' holds a null at step " + t
            + "; every step needs a label");
      }
      encoding.encode(steps.getDouble(t), target, offset + t * encoding.width(), labelCol);
    }
  }

  /**
   * Copies the vector in column 0 of {@code row} as floats, read from Spark's internal layout of a vector
   * ({@code VectorUDT}'s: type 0 sparse or 1 dense, size, indices, values) where it lies.
   */
  private void copyFeatures(InternalRow row, float[] target, int offset, int featureSize) {
    if (row.isNullAt(0)) {
      throw new IllegalArgumentException("features column '" + featuresCol + "' holds a null vector; "
          + "drop such rows or fill them before fitting");
    }
    InternalRow vector = row.getStruct(0, 4);
    boolean dense = vector.getByte(0) == 1;
    ArrayData values = vector.getArray(3);
    int size = dense ? values.numElements() : vector.getInt(1);
    if (size != featureSize) {
      throw new IllegalArgumentException("features column '" + featuresCol + "' holds a vector of size "
          + size + " but the network was built for " + featureSize + "; all vectors must have one size");
    }
    if (dense) {
      for (int i = 0; i < featureSize; i++) {
        target[offset + i] = (float) values.getDouble(i);
      }
    } else {
      Arrays.fill(target, offset, offset + featureSize, 0f);
      ArrayData indices = vector.getArray(2);
      for (int k = 0; k < indices.numElements(); k++) {
        target[offset + indices.getInt(k)] = (float) values.getDouble(k);
      }
    }
  }
}
