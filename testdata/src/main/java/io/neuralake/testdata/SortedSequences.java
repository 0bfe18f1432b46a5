package io.neuralake.testdata;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.apache.spark.ml.attribute.NominalAttribute;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * A task that needs token order: is a sequence of tokens sorted? Each row draws {@code length}
 * tokens from {@code vocabulary} at random, then puts them in sorted order (label 1, half the
 * rows), in sorted order with one adjacent pair of different tokens swapped (a quarter), or in a
 * random unsorted order (a quarter). Every class has the same distribution of token multisets, so
 * a model blind to order is at chance. Features are one-hot tokens flattened step by step, shape
 * (length, vocabulary) in the column metadata.
 */
public final class SortedSequences {

  private SortedSequences() {}

  /** {@code rows} sequences from {@code seed}: {@code features} and {@code label} (1 = sorted). */
  public static Dataset<Row> load(SparkSession spark, int rows, int length, int vocabulary, long seed) {
    Random random = new Random(seed);
    List<Row> data = new ArrayList<>(rows);
    while (data.size() < rows) {
      int[] tokens = random.ints(length, 0, vocabulary).sorted().toArray();
      if (tokens[0] == tokens[length - 1]) {
        continue; // all equal: no unsorted order exists
      }
      double kind = random.nextDouble();
      if (kind >= 0.75) {
        do {
          shuffle(tokens, random);
        } while (isSorted(tokens));
      } else if (kind >= 0.5) {
        int i;
        do {
          i = random.nextInt(length - 1);
        } while (tokens[i] == tokens[i + 1]);
        int swapped = tokens[i];
        tokens[i] = tokens[i + 1];
        tokens[i + 1] = swapped;
      }
      double[] oneHot = new double[length * vocabulary];
      for (int t = 0; t < length; t++) {
        oneHot[t * vocabulary + tokens[t]] = 1;
      }
      data.add(RowFactory.create(Vectors.dense(oneHot), isSorted(tokens) ? 1.0 : 0.0));
    }
    Dataset<Row> frame = spark.createDataFrame(data, Schemas.FEATURES_LABEL);
    return Schemas.withShape(frame, new long[] {length, vocabulary}).withColumn("label", frame.col("label"),
        NominalAttribute.defaultAttr().withName("label").withNumValues(2).toMetadata());
  }

  private static boolean isSorted(int[] tokens) {
    int[] sorted = tokens.clone();
    Arrays.sort(sorted);
    return Arrays.equals(sorted, tokens);
  }

  private static void shuffle(int[] tokens, Random random) {
    for (int i = tokens.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int swapped = tokens[i];
      tokens[i] = tokens[j];
      tokens[j] = swapped;
    }
  }
}
