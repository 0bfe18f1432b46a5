package io.neuralake.estimators;

import java.util.Arrays;

import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Stage-named schema checks that run before Spark's generic ones. */
final class SchemaChecks {

  private SchemaChecks() {}

  /** The field named {@code column}, or an error that names the param and the columns there are. */
  static StructField requireColumn(StructType schema, String column, String param) {
    if (!Arrays.asList(schema.fieldNames()).contains(column)) {
      throw new IllegalArgumentException(param + " '" + column + "' is not a column of the input; columns are "
          + Arrays.toString(schema.fieldNames()) + "; set " + param + " to one of them");
    }
    return schema.apply(column);
  }

  /** Checks that {@code column} is a vector column, of {@code expectedSize} when that is &gt; 0. */
  static void requireVector(StructType schema, String column, int expectedSize) {
    StructField field = requireColumn(schema, column, "featuresCol");
    if (!field.dataType().equals(SQLDataTypes.VectorType())) {
      throw new IllegalArgumentException("featuresCol '" + column + "' must be a vector column but is "
          + field.dataType().simpleString() + "; assemble the inputs with VectorAssembler");
    }
    int size = AttributeGroup.fromStructField(field).size();
    if (expectedSize > 0 && size > 0 && size != expectedSize) {
      throw new IllegalArgumentException("featuresCol '" + column + "' holds vectors of size " + size
          + " but the model was trained on size " + expectedSize);
    }
  }

  /** Checks that {@code column} is numeric. */
  static void requireNumeric(StructType schema, String column) {
    StructField field = requireColumn(schema, column, "labelCol");
    if (!(field.dataType() instanceof NumericType)) {
      throw new IllegalArgumentException("labelCol '" + column + "' must be numeric but is "
          + field.dataType().simpleString() + "; index string labels with StringIndexer");
    }
  }
}
