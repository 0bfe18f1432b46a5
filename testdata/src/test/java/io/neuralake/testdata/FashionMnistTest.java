package io.neuralake.testdata;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;

import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Fashion-MNIST's rows as the loader makes them, and the augmented rows that the scale job trains on. */
class FashionMnistTest {

  private static final int SIDE = 28;
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = SparkSession.builder().master("local[2]").appName("fashion-mnist-test")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1").getOrCreate();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static double[] pixels(Row row) {
    return ((Vector) row.getAs("features")).toArray();
  }

  @Test
  void loadedRowsAreTheIdxFilesImagesAndLabelsInOrder() throws IOException {
    byte[] images = idx("t10k-images-idx3-ubyte.gz", 16);
    byte[] labels = idx("t10k-labels-idx1-ubyte.gz", 8);
    List<Row> rows = FashionMnist.load(spark, FashionMnist.Split.TEST, 0).collectAsList();
    assertEquals(10_000, rows.size());
    for (int i : new int[] {0, 1, 4_321, 9_999}) {
      double[] expected = new double[FashionMnist.PIXELS];
      for (int p = 0; p < expected.length; p++) {
        expected[p] = (images[i * FashionMnist.PIXELS + p] & 0xFF) / 255.0;
      }
      assertArrayEquals(expected, pixels(rows.get(i)), "row " + i + " is image " + i + " scaled to [0, 1]");
      assertEquals(labels[i], rows.get(i).getDouble(1), "row " + i + " has label " + i);
    }
  }

  /** An IDX file's bytes after its header, read here independently of the loader. */
  private static byte[] idx(String name, int header) throws IOException {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(FashionMnist.directory().resolve(name)))) {
      byte[] all = in.readAllBytes();
      return Arrays.copyOfRange(all, header, all.length);
    }
  }

  @Test
  void augmentedRowsAreTheTrainingImagesThenShiftedAndBrightenedCopies() {
    List<Row> originals = FashionMnist.load(spark, FashionMnist.Split.TRAIN, 3).collectAsList();
    assertEquals(60_003, FashionMnist.augmented(spark, 60_003, 5).count());
    List<Row> first = FashionMnist.augmented(spark, 60_003, 5).limit(3).collectAsList();
    Row[] copies = (Row[]) FashionMnist.augmented(spark, 60_003, 5).tail(3);
    for (int i = 0; i < 3; i++) {
      assertArrayEquals(pixels(originals.get(i)), pixels(first.get(i)), "row " + i + " is training image " + i);
      assertEquals(originals.get(i).getDouble(1), copies[i].getDouble(1), "row " + (60_000 + i) + " keeps the label");
      assertFalse(Arrays.equals(pixels(originals.get(i)), pixels(copies[i])), "row " + (60_000 + i) + " is changed");
      assertTrue(isShiftedAndBrightened(pixels(originals.get(i)), pixels(copies[i])),
          "row " + (60_000 + i) + " is image " + i + " shifted by at most 2 pixels and scaled by 0.8 to 1.2");
    }
    Row[] again = (Row[]) FashionMnist.augmented(spark, 60_003, 5).tail(3);
    Row[] otherSeed = (Row[]) FashionMnist.augmented(spark, 60_003, 6).tail(3);
    for (int i = 0; i < 3; i++) {
      assertArrayEquals(pixels(copies[i]), pixels(again[i]), "the same seed makes the same copy");
    }
    assertFalse(Arrays.equals(pixels(copies[0]), pixels(otherSeed[0])) && Arrays.equals(pixels(copies[1]),
        pixels(otherSeed[1])) && Arrays.equals(pixels(copies[2]), pixels(otherSeed[2])), "another seed, other copies");
  }

  /** Whether {@code copy} is {@code original} moved by up to 2 pixels each way and scaled by 0.8 to 1.2, capped at 1. */
  private static boolean isShiftedAndBrightened(double[] original, double[] copy) {
    for (int dy = -2; dy <= 2; dy++) {
      for (int dx = -2; dx <= 2; dx++) {
        double[] shifted = new double[original.length];
        for (int y = Math.max(0, dy); y < Math.min(SIDE, SIDE + dy); y++) {
          for (int x = Math.max(0, dx); x < Math.min(SIDE, SIDE + dx); x++) {
            shifted[y * SIDE + x] = original[(y - dy) * SIDE + x - dx];
          }
        }
        for (double scale = 0.8; scale <= 1.2; scale += 0.0005) {
          if (matches(shifted, scale, copy)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static boolean matches(double[] shifted, double scale, double[] copy) {
    for (int p = 0; p < copy.length; p++) {
      if (Math.abs(Math.min(1, scale * shifted[p]) - copy[p]) > 1e-3) {
        return false;
      }
    }
    return true;
  }
}
