package io.neuralake.estimators;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.max;

import org.apache.spark.ml.util.MetadataUtils;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.Option;

/** The number of classes of a label column: from its nominal metadata, else from its largest value. */
final class LabelClasses {

  private LabelClasses() {}

  /**
   * The class count. Without metadata one job finds the largest label and checks that every
   * label is a whole number in [0, maxClasses); a bad value is named in the error.
   */
  static int count(Dataset<?> dataset, String labelCol, int maxClasses) {
    Option<Object> fromMetadata = MetadataUtils.getNumClasses(dataset.schema().apply(labelCol));
    if (fromMetadata.isDefined()) {
      return (Integer) fromMetadata.get();
    }
    Column label = col(labelCol);
    Column bad = label.isNull().or(isnan(label)).or(label.lt(0)).or(label.notEqual(floor(label)))
        .or(label.geq(maxClasses));
    Row[] offending = (Row[]) dataset.select(label).filter(bad).head(1);
    if (offending.length > 0) {
      throw new IllegalArgumentException("label column '" + labelCol + "' holds " + offending[0].get(0)
          + " but labels must be whole numbers in [0, " + maxClasses + "); index string labels with StringIndexer");
    }
    Row largest = dataset.agg(max(label)).head();
    if (largest.isNullAt(0)) {
      throw new IllegalArgumentException("the dataset has no rows: there is nothing to fit");
    }
    return Math.max(2, (int) largest.getDouble(0) + 1);
  }
}
