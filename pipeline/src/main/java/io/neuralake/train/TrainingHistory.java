package io.neuralake.train;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The per-epoch record of a fit, in epoch order.
 *
 * @param metric the validation metric the epochs report
 * @param epochs one entry per epoch trained
 */
public record TrainingHistory(ValidationMetric metric, List<EpochStats> epochs) implements Serializable {

  public TrainingHistory {
    epochs = List.copyOf(epochs);
  }

  /** The last epoch's stats. */
  public EpochStats last() {
    if (epochs.isEmpty()) {
      throw new IllegalStateException("no epoch was trained");
    }
    return epochs.get(epochs.size() - 1);
  }

  /** The history as a DataFrame with one row per epoch. */
  public Dataset<Row> toDataFrame(SparkSession spark) {
    StructType schema = new StructType()
        .add("epoch", DataTypes.IntegerType, false)
        .add("train_loss", DataTypes.DoubleType, false)
        .add("validation_loss", DataTypes.DoubleType, false)
        .add(metric.columnName(), DataTypes.DoubleType, false)
        .add("seconds", DataTypes.DoubleType, false)
        .add("samples_per_second", DataTypes.DoubleType, false);
    List<Row> rows = new ArrayList<>();
    for (EpochStats e : epochs) {
      rows.add(RowFactory.create(e.epoch(), e.trainLoss(), e.validationLoss(), e.validationMetric(),
          e.seconds(), e.samplesPerSecond()));
    }
    return spark.createDataFrame(rows, schema);
  }

  /** A table with one line per epoch. */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder(String.format("%5s %12s %12s %18s %9s %12s%n",
        "epoch", "train_loss", "val_loss", metric.columnName(), "seconds", "samples/s"));
    for (EpochStats e : epochs) {
      out.append(String.format("%5d %12.5f %12.5f %18.5f %9.2f %12.0f%n", e.epoch(), e.trainLoss(),
          e.validationLoss(), e.validationMetric(), e.seconds(), e.samplesPerSecond()));
    }
    return out.toString();
  }
}
