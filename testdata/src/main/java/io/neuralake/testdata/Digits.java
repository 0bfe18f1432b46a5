package io.neuralake.testdata;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

import org.apache.spark.ml.attribute.NominalAttribute;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * sklearn's handwritten digits: 1,797 images of 8×8 pixels with values 0–16, ten classes.
 * Bundled from Debian's {@code python3-sklearn} (BSD licence); see {@code digits-README.txt}.
 */
public final class Digits {

  /** Number of images. */
  public static final int SIZE = 1797;
  /** Pixels per image (8×8). */
  public static final int PIXELS = 64;
  /** Number of classes. */
  public static final int CLASSES = 10;

  private static final String RESOURCE = "digits.csv.gz";

  private Digits() {}

  /** The images as rows: 64 pixel values then the label. */
  public static List<double[]> rows() {
    try (InputStream raw = Digits.class.getResourceAsStream(RESOURCE)) {
      if (raw == null) {
        throw new IllegalStateException("resource " + RESOURCE + " is missing from the neuralake-testdata jar");
      }
      BufferedReader reader = new BufferedReader(
          new InputStreamReader(new GZIPInputStream(raw), StandardCharsets.US_ASCII));
      List<double[]> rows = new ArrayList<>(SIZE);
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        String[] cells = line.split(",");
        double[] row = new double[cells.length];
        for (int i = 0; i < cells.length; i++) {
          row[i] = Double.parseDouble(cells[i]);
        }
        rows.add(row);
      }
      return rows;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  /**
   * The data set as a DataFrame with a {@code features} vector column (64 pixels) and a
   * {@code label} double column that carries nominal metadata with the ten class names.
   */
  public static Dataset<Row> load(SparkSession spark) {
    List<Row> rows = new ArrayList<>(SIZE);
    for (double[] row : rows()) {
      double[] pixels = java.util.Arrays.copyOf(row, PIXELS);
      rows.add(RowFactory.create(Vectors.dense(pixels), row[PIXELS]));
    }
    Dataset<Row> frame = spark.createDataFrame(rows, Schemas.FEATURES_LABEL);
    return Schemas.withShape(frame, new long[] {1, 8, 8}).withColumn("label", frame.col("label"),
        NominalAttribute.defaultAttr().withName("label").withNumValues(CLASSES).toMetadata());
  }
}
