package io.neuralake.testdata;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;

import com.esotericsoftware.kryo.DefaultSerializer;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.attribute.NominalAttribute;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * Fashion-MNIST (28×28 grey images, ten classes) read from the IDX files of Debian's
 * {@code dataset-fashion-mnist} package. Pixels are scaled to [0, 1].
 *
 * <p>The folder is {@code /usr/share/datasets/fashion-mnist}, or the system property / environment
 * variable {@code NEURALAKE_FASHION_MNIST_DIR}.
 */
public final class FashionMnist {

  /** Pixels per image (28×28). */
  public static final int PIXELS = 784;
  /** Number of classes. */
  public static final int CLASSES = 10;

  private static final String DIR_SETTING = "NEURALAKE_FASHION_MNIST_DIR";
  private static final String DEFAULT_DIR = "/usr/share/datasets/fashion-mnist";
  private static final int ROWS_PER_SLICE = 1000;

  /** The two published splits. */
  public enum Split {
    /** 60,000 training images. */
    TRAIN("train"),
    /** 10,000 test images. */
    TEST("t10k");

    private final String prefix;

    Split(String prefix) {
      this.prefix = prefix;
    }
  }

  private FashionMnist() {}

  /** The folder that holds the IDX files. */
  public static Path directory() {
    String configured = System.getProperty(DIR_SETTING, System.getenv(DIR_SETTING));
    return Path.of(configured != null ? configured : DEFAULT_DIR);
  }

  /**
   * The first {@code limit} images of a split (all of them when {@code limit <= 0}) as a DataFrame
   * with a {@code features} vector column and a {@code label} column with nominal metadata.
   * The split is broadcast once and the rows are built on the executors, as a file source would
   * read them: no task carries the images.
   */
  public static Dataset<Row> load(SparkSession spark, Split split, int limit) {
    byte[] labels = readIdx(split.prefix + "-labels-idx1-ubyte.gz", 1);
    int count = limit > 0 ? Math.min(limit, labels.length) : labels.length;
    return frame(spark, split, labels, count, 0);
  }

  /**
   * {@code rows} training rows for scale runs: the 60,000 training images, then copies of them,
   * each image of a copy shifted by up to two pixels and brightened or darkened by up to 20% (seeded
   * by {@code seed} and the row). The images are broadcast once; rows are made on the executors
   * whenever Spark computes them, in slices of 1,000, and nothing is cached.
   */
  public static Dataset<Row> augmented(SparkSession spark, long rows, long seed) {
    return frame(spark, Split.TRAIN, readIdx(Split.TRAIN.prefix + "-labels-idx1-ubyte.gz", 1), rows, seed);
  }

  /** Rows 0 to {@code rows} of {@code split}, made on the executors in slices from one broadcast. */
  private static Dataset<Row> frame(SparkSession spark, Split split, byte[] labels, long rows, long seed) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<byte[][]> contents = jsc.broadcast(new byte[][] {readIdx(split.prefix + "-images-idx3-ubyte.gz", 3),
        labels});
    List<Slice> slices = new ArrayList<>();
    for (long start = 0; start < rows; start += ROWS_PER_SLICE) {
      slices.add(new Slice(contents, start, Math.min(rows, start + ROWS_PER_SLICE), seed));
    }
    Dataset<Row> frame = spark.createDataFrame(jsc.parallelize(slices, slices.size()).flatMap(Slice::rows),
        Schemas.FEATURES_LABEL);
    return Schemas.withShape(frame, new long[] {1, 28, 28}).withColumn("label", frame.col("label"),
        NominalAttribute.defaultAttr().withName("label").withNumValues(CLASSES).toMetadata());
  }

  private static byte[] readIdx(String fileName, int dimensions) {
    Path file = directory().resolve(fileName);
    if (!Files.isReadable(file)) {
      throw new IllegalStateException("Fashion-MNIST file " + file + " not found: install it with "
          + "'apt-get install -y dataset-fashion-mnist' or point " + DIR_SETTING + " at a folder holding it");
    }
    try (InputStream raw = Files.newInputStream(file);
         DataInputStream in = new DataInputStream(new GZIPInputStream(raw, 1 << 16))) {
      int magic = in.readInt();
      if (magic != (0x0800 | dimensions)) {
        throw new IllegalStateException(file + " is not an IDX file of unsigned bytes with "
            + dimensions + " dimensions (magic " + Integer.toHexString(magic) + ")");
      }
      long size = 1;
      for (int d = 0; d < dimensions; d++) {
        size *= in.readInt();
      }
      byte[] data = new byte[Math.toIntExact(size)];
      in.readFully(data);
      return data;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** Image {@code index} of {@code images} as pixels in [0, 1]. */
  private static double[] pixels(byte[] images, int index) {
    double[] pixels = new double[PIXELS];
    for (int p = 0; p < PIXELS; p++) {
      pixels[p] = (images[index * PIXELS + p] & 0xFF) / 255.0;
    }
    return pixels;
  }

  /**
   * Rows {@code start} to {@code end} of a broadcast split (its images, then its labels): row {@code r}
   * is image {@code r} mod the split's size, shifted and brightened from the second pass on.
   */
  @DefaultSerializer(JavaSerializer.class)
  private record Slice(Broadcast<byte[][]> split, long start, long end, long seed)
      implements Serializable {

    private static final int SIDE = 28;
    private static final int SHIFT = 2;

    Iterator<Row> rows() {
      byte[] images = split.value()[0];
      byte[] labels = split.value()[1];
      List<Row> rows = new ArrayList<>(Math.toIntExact(end - start));
      for (long row = start; row < end; row++) {
        int image = (int) (row % labels.length);
        double[] original = pixels(images, image);
        double[] pixels = original;
        if (row >= labels.length) {
          Random random = new Random(seed * 1_000_003L + row);
          int dx = random.nextInt(2 * SHIFT + 1) - SHIFT;
          int dy = random.nextInt(2 * SHIFT + 1) - SHIFT;
          double brightness = 0.8 + 0.4 * random.nextDouble();
          pixels = new double[PIXELS];
          for (int y = Math.max(0, dy); y < Math.min(SIDE, SIDE + dy); y++) {
            for (int x = Math.max(0, dx); x < Math.min(SIDE, SIDE + dx); x++) {
              pixels[y * SIDE + x] = Math.min(1, brightness * original[(y - dy) * SIDE + x - dx]);
            }
          }
        }
        rows.add(RowFactory.create(Vectors.dense(pixels), (double) labels[image]));
      }
      return rows.iterator();
    }
  }
}
