package io.neuralake.testdata;

import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Schemas shared by the bundled data sets. */
final class Schemas {

  /** A {@code features} vector and a {@code label} double. */
  static final StructType FEATURES_LABEL = new StructType()
      .add("features", SQLDataTypes.VectorType(), false)
      .add("label", DataTypes.DoubleType, false);

  private Schemas() {}
}
