package io.neuralake.testdata;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.apache.spark.ml.attribute.NominalAttribute;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A task that needs memory: random bit sequences read one bit per step, labelled with how many
 * ones they hold (0 to length, so length + 1 classes). Features are the bits flattened step by
 * step with the shape (length, 1) in the column metadata; a model that sees only one step at a
 * time must carry a count from step to step.
 */
public final class BitSequences {

  private BitSequences() {}

  /** {@code rows} sequences of {@code length} bits from {@code seed}: {@code features} and {@code label}. */
  public static Dataset<Row> ones(SparkSession spark, int rows, int length, long seed) {
    Random random = new Random(seed);
    List<Row> data = new ArrayList<>(rows);
    for (int i = 0; i < rows; i++) {
      double[] bits = new double[length];
      int ones = 0;
      for (int t = 0; t < length; t++) {
        bits[t] = random.nextInt(2);
        ones += (int) bits[t];
      }
      data.add(RowFactory.create(Vectors.dense(bits), (double) ones));
    }
    Dataset<Row> frame = spark.createDataFrame(data, Schemas.FEATURES_LABEL);
    return Schemas.withShape(frame, new long[] {length, 1}).withColumn("label", frame.col("label"),
        NominalAttribute.defaultAttr().withName("label").withNumValues(length + 1).toMetadata());
  }

  /**
   * {@code rows} sequences of {@code length} bits from {@code seed}, tagged step by step: {@code features}
   * (shape (length, 1)) and {@code tags}, an array with the parity of the ones read so far at each step.
   */
  public static Dataset<Row> runningParity(SparkSession spark, int rows, int length, long seed) {
    Random random = new Random(seed);
    List<Row> data = new ArrayList<>(rows);
    for (int i = 0; i < rows; i++) {
      double[] bits = new double[length];
      double[] parity = new double[length];
      int ones = 0;
      for (int t = 0; t < length; t++) {
        bits[t] = random.nextInt(2);
        ones += (int) bits[t];
        parity[t] = ones % 2;
      }
      data.add(RowFactory.create(Vectors.dense(bits), parity));
    }
    StructType schema = new StructType().add("features", SQLDataTypes.VectorType(), false)
        .add("tags", DataTypes.createArrayType(DataTypes.DoubleType, false), false);
    return Schemas.withShape(spark.createDataFrame(data, schema), new long[] {length, 1});
  }
}
