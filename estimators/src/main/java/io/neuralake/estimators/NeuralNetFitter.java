package io.neuralake.estimators;

import java.util.Arrays;
import java.util.Optional;

import io.neuralake.data.Batch;
import io.neuralake.data.BatchMaker;
import io.neuralake.data.TensorShape;
import io.neuralake.spec.OutputHead;
import io.neuralake.train.NetworkState;
import io.neuralake.train.ParameterAveragingTrainer;
import io.neuralake.train.TrainingResult;
import io.neuralake.train.ValidationMetric;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.execution.columnar.InMemoryRelation;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The fit shared by the neural-net estimators: split, batch, build the network, train. */
final class NeuralNetFitter {

  private static final Logger LOG = LoggerFactory.getLogger(NeuralNetFitter.class);

  private final NeuralNetParams params;
  private final String featuresCol;
  private final String labelCol;

  NeuralNetFitter(NeuralNetParams params, String featuresCol, String labelCol) {
    this.params = params;
    this.featuresCol = featuresCol;
    this.labelCol = labelCol;
  }

  /**
   * The shape of one example: the inputShape param, else the features column's shape metadata,
   * else the vector size. The vector size comes from the column's ML attributes or shape metadata,
   * else from its first row (a job); the conversion checks every row's.
   */
  long[] inputShape(Dataset<?> dataset) {
    StructField field = dataset.schema().apply(featuresCol);
    Optional<long[]> recorded = TensorShape.of(field);
    int vectorSize = AttributeGroup.fromStructField(field).size();
    if (vectorSize <= 0 && recorded.isPresent()) {
      vectorSize = Math.toIntExact(TensorShape.size(recorded.get()));
    }
    if (vectorSize <= 0) {
      Row[] first = (Row[]) dataset.select(featuresCol).na().drop().head(1);
      if (first.length == 0) {
        throw new IllegalArgumentException("the dataset has no rows with a non-null '" + featuresCol
            + "': there is nothing to fit");
      }
      vectorSize = first[0].<Vector>getAs(0).size();
    }
    int[] explicit = params.getInputShape();
    long[] shape = explicit.length > 0 ? Arrays.stream(explicit).asLongStream().toArray()
        : recorded.orElse(new long[] {vectorSize});
    if (Arrays.stream(shape).anyMatch(size -> size < 1) || TensorShape.size(shape) != vectorSize) {
      throw new IllegalArgumentException("inputShape " + Arrays.toString(shape) + " does not fit featuresCol '"
          + featuresCol + "', whose vectors have " + vectorSize + " values; set inputShape to sizes whose product is "
          + vectorSize);
    }
    return shape;
  }

  /** Loads the weights of the model saved at {@code path} into {@code network}, whose layers must match. */
  private static void startFrom(MultiLayerNetwork network, String path, org.apache.spark.SparkContext sc) {
    float[] weights;
    try {
      weights = FittedNetwork.load(path, sc).state().parameters();
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("initialModelPath '" + path + "' does not hold a saved neural-net model: "
          + e.getMessage(), e);
    }
    if (weights.length != network.numParams()) {
      throw new IllegalArgumentException("initialModelPath '" + path + "' holds a network with " + weights.length
          + " parameters but this one has " + network.numParams() + "; it needs the same layers, input shape and classes");
    }
    network.setParams(org.nd4j.linalg.factory.Nd4j.create(weights, new long[] {1, weights.length}, 'c'));
  }

  /** Trains a network for inputs of {@code inputShape} with {@code head} on top. */
  FittedNetwork fit(Dataset<?> dataset, long[] inputShape, OutputHead head, ValidationMetric metric) {
    int featureSize = Math.toIntExact(TensorShape.size(inputShape));
    Dataset<Row> frame = dataset.toDF();
    // As Spark MLlib's iterative estimators warn; but not where the input is derived from cached rows, as
    // in a pipeline after a cached DataFrame (Spark's predictors hand train() such a derived one).
    if (frame.queryExecution().withCachedData().find(plan -> plan instanceof InMemoryRelation).isEmpty()) {
      LOG.warn("The input to fit() reads no cached rows: each pass over them (a row count and the conversion to "
          + "batches, and a label check for classifiers) computes them again from the source. Cache it, or the "
          + "DataFrame it is derived from, before fit() when that is expensive.");
    }
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
        params.getNetwork().toDl4j(inputShape, head, params.hyperparameters()));
    initial.init();
    if (!params.getInitialModelPath().isEmpty()) {
      startFrom(initial, params.getInitialModelPath(), frame.sparkSession().sparkContext());
    }
    BatchMaker batches = new BatchMaker(featuresCol, labelCol, head.labels(), head.steps(), params.getBatchSize());
    JavaRDD<Batch> trainBatches =
        batches.batches(train, workers, params.getAveragingFrequency(), featureSize, params.getSeed());
    JavaRDD<Batch> validationBatches = validation == null ? null
        : batches.batches(validation, workers, Integer.MAX_VALUE, featureSize, params.getSeed() + 1);
    try {
      TrainingResult result = new ParameterAveragingTrainer(params.trainingPlan(workers)).fit(
          NetworkState.of(initial), trainBatches, validationBatches, metric);
      return new FittedNetwork(result.network(), result.history(), inputShape, head.units());
    } finally {
      BatchMaker.release(trainBatches);
      if (validationBatches != null) {
        BatchMaker.release(validationBatches);
      }
    }
  }
}
