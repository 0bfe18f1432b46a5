package io.neuralake.estimators;

import io.neuralake.data.BatchMaker;
import io.neuralake.data.LabelEncoding;
import io.neuralake.spec.OutputHead;
import io.neuralake.train.NetworkState;
import io.neuralake.train.ParameterAveragingTrainer;
import io.neuralake.train.TrainingResult;
import io.neuralake.train.ValidationMetric;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/** The fit shared by the neural-net estimators: split, batch, build the network, train. */
final class NeuralNetFitter {

  private final NeuralNetParams params;
  private final String featuresCol;
  private final String labelCol;

  NeuralNetFitter(NeuralNetParams params, String featuresCol, String labelCol) {
    this.params = params;
    this.featuresCol = featuresCol;
    this.labelCol = labelCol;
  }

  /** The number of features: from the column's ML attributes, else from the first row. */
  int featureSize(Dataset<?> dataset) {
    StructField field = dataset.schema().apply(featuresCol);
    int size = AttributeGroup.fromStructField(field).size();
    if (size > 0) {
      return size;
    }
    Row[] first = (Row[]) dataset.select(featuresCol).na().drop().head(1);
    if (first.length == 0) {
      throw new IllegalArgumentException("the dataset has no rows with a non-null '" + featuresCol
          + "': there is nothing to fit");
    }
    return first[0].<Vector>getAs(0).size();
  }

  /** Trains a network of {@code featureSize} inputs with {@code head} on top. */
  FittedNetwork fit(Dataset<?> dataset, int featureSize, LabelEncoding encoding, OutputHead head,
                    ValidationMetric metric) {
    Dataset<Row> frame = dataset.toDF();
    Dataset<Row> train = frame;
    Dataset<Row> validation = null;
    String indicator = params.getValidationIndicatorCol();
    if (!indicator.isEmpty()) {
      StructField field = SchemaChecks.requireColumn(frame.schema(), indicator, "validationIndicatorCol");
      if (!field.dataType().equals(DataTypes.BooleanType)) {
        throw new IllegalArgumentException("validationIndicatorCol '" + indicator + "' must be boolean but is "
            + field.dataType().simpleString() + "; mark validation rows with true");
      }
      train = frame.filter(frame.col(indicator).equalTo(false));
      validation = frame.filter(frame.col(indicator).equalTo(true));
    } else if (params.getValidationFraction() > 0) {
      double fraction = params.getValidationFraction();
      Dataset<Row>[] split = frame.randomSplit(new double[] {1 - fraction, fraction}, params.getSeed());
      train = split[0];
      validation = split[1];
    }
    int workers = params.getNumWorkers() > 0 ? params.getNumWorkers()
        : frame.sparkSession().sparkContext().defaultParallelism();
    MultiLayerNetwork initial = new MultiLayerNetwork(
        params.getNetwork().toDl4j(featureSize, head, params.hyperparameters()));
    initial.init();
    BatchMaker batches = new BatchMaker(featuresCol, labelCol, encoding, params.getBatchSize());
    int coresPerTask = Integer.parseInt(frame.sparkSession().conf().get("spark.task.cpus", "1"));
    TrainingResult result = new ParameterAveragingTrainer(params.trainingPlan(coresPerTask)).fit(
        NetworkState.of(initial),
        batches.batches(train, workers, featureSize, params.getSeed()),
        validation == null ? null : batches.batches(validation, workers, featureSize, params.getSeed() + 1),
        metric);
    return new FittedNetwork(result.network(), result.history(), featureSize, head.units());
  }
}
