package io.neuralake.estimators;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

import io.neuralake.train.GpuBinding;
import io.neuralake.train.NativeThreads;
import io.neuralake.train.NetworkState;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Applies a fitted network to a DataFrame the way SynapseML and BigDL do: the network is
 * broadcast once, and each partition runs it on batches of rows, never row by row.
 */
final class BatchScoring {

  /** Rows per forward pass. */
  static final int ROWS_PER_BATCH = 256;

  /** The values of the appended output columns of one row, from the network's outputs for it. */
  interface OutputColumns extends Serializable {
    Object[] values(double[] outputs);
  }

  private BatchScoring() {}

  /**
   * The input rows with the output columns appended, as {@code outputSchema} (the stage's
   * {@code transformSchema}) lays them out.
   */
  static Dataset<Row> transform(Dataset<?> dataset, StructType outputSchema, String featuresCol,
                                FittedNetwork network, OutputColumns columns) {
    Dataset<Row> frame = dataset.toDF();
    Broadcast<NetworkState> state = JavaSparkContext.fromSparkContext(frame.sparkSession().sparkContext())
        .broadcast(network.state().withoutUpdaterState());
    int featuresIndex = frame.schema().fieldIndex(featuresCol);
    return frame.mapPartitions(new Scorer(state, featuresIndex, featuresCol, network.numFeatures(), columns),
        Encoders.row(outputSchema));
  }

  private record Scorer(Broadcast<NetworkState> state, int featuresIndex, String featuresCol, int numFeatures,
                        OutputColumns columns) implements MapPartitionsFunction<Row, Row> {

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
      if (!rows.hasNext()) {
        return rows;
      }
      NativeThreads.limitToTask();
      GpuBinding.bindTask();
      MultiLayerNetwork network = state.value().toNetwork();
      return new Iterator<>() {
        private Iterator<Row> scored = List.<Row>of().iterator();

        @Override
        public boolean hasNext() {
          return scored.hasNext() || rows.hasNext();
        }

        @Override
        public Row next() {
          if (!scored.hasNext()) {
            scored = score(network, rows).iterator();
          }
          return scored.next();
        }
      };
    }

    private List<Row> score(MultiLayerNetwork network, Iterator<Row> rows) {
      List<Row> batch = new ArrayList<>(ROWS_PER_BATCH);
      while (rows.hasNext() && batch.size() < ROWS_PER_BATCH) {
        batch.add(rows.next());
      }
      float[] features = new float[batch.size() * numFeatures];
      for (int i = 0; i < batch.size(); i++) {
        Row row = batch.get(i);
        if (row.isNullAt(featuresIndex)) {
          throw new IllegalArgumentException("features column '" + featuresCol + "' holds a null vector in row "
              + row + "; drop or fill such rows before transforming");
        }
        Vector vector = row.getAs(featuresIndex);
        if (vector.size() != numFeatures) {
          throw new IllegalArgumentException("the model expects feature vectors of size " + numFeatures
              + " but column '" + featuresCol + "' holds one of size " + vector.size());
        }
        FittedNetwork.copyFloats(vector, features, i * numFeatures);
      }
      double[][] outputs = FittedNetwork.forward(network, features, batch.size(), numFeatures);
      List<Row> scored = new ArrayList<>(batch.size());
      for (int i = 0; i < batch.size(); i++) {
        Row row = batch.get(i);
        Object[] appended = columns.values(outputs[i]);
        Object[] values = Arrays.copyOf(toArray(row), row.size() + appended.length);
        System.arraycopy(appended, 0, values, row.size(), appended.length);
        scored.add(RowFactory.create(values));
      }
      return scored;
    }

    private static Object[] toArray(Row row) {
      Object[] values = new Object[row.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = row.get(i);
      }
      return values;
    }
  }
}
