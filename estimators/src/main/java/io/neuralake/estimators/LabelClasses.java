package io.neuralake.estimators;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.ml.util.MetadataUtils;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import scala.Option;

/** The number of classes of a label column: from its nominal metadata, else from its largest value. */
final class LabelClasses {

  private LabelClasses() {}

  /**
   * The class count. Without metadata one pass over the rows finds the largest label and checks
   * that every label is a whole number in [0, maxClasses); a bad value is named in the error.
   */
  static int count(Dataset<?> dataset, String labelCol, int maxClasses) {
    Option<Object> fromMetadata = MetadataUtils.getNumClasses(dataset.schema().apply(labelCol));
    if (fromMetadata.isDefined()) {
      return (Integer) fromMetadata.get();
    }
    Column label = col(labelCol);
    Column bad = label.isNull().or(isnan(label)).or(label.lt(0)).or(label.notEqual(floor(label)))
        .or(label.geq(maxClasses));
    // One pass over the rows, which may be expensive to compute: the largest label, the bad labels
    // counted, and one of them that is not null (a null is bad too).
    Row found = dataset.agg(max(label), functions.count(when(bad, lit(1))), first(when(bad, label), true)).head();
    if (found.getLong(1) > 0) {
      throw new IllegalArgumentException("label column '" + labelCol + "' holds " + found.get(2)
          + " but labels must be whole numbers in [0, " + maxClasses + "); index string labels with StringIndexer");
    }
    if (found.isNullAt(0)) {
      throw new IllegalArgumentException("the dataset has no rows: there is nothing to fit");
    }
    return Math.max(2, (int) found.getDouble(0) + 1);
  }
}
