package io.neuralake.testdata;

import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructType;

/** Schemas shared by the bundled data sets. */
final class Schemas {

  /** A {@code features} vector and a {@code label} double. */
  static final StructType FEATURES_LABEL = new StructType()
      .add("features", SQLDataTypes.VectorType(), false)
      .add("label", DataTypes.DoubleType, false);

  /** The metadata key of io.neuralake.data.TensorShape (testdata sits below the pipeline module). */
  static final String SHAPE_KEY = "neuralake_shape";

  private Schemas() {}

  /** {@code frame} with the shape of one example, e.g. (channels, height, width), recorded on its features column. */
  static Dataset<Row> withShape(Dataset<Row> frame, long[] shape) {
    Metadata metadata = new MetadataBuilder().putLongArray(SHAPE_KEY, shape).build();
    return frame.withColumn("features", frame.col("features"), metadata);
  }
}
