package io.neuralake.estimators;

import io.neuralake.spec.Loss;
import io.neuralake.spec.OutputHead;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.regression.RegressionModel;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * A fitted {@link NeuralNetRegressor}: {@code prediction} is the network's single output.
 * {@code transform} broadcasts the network once and scores rows in batches.
 */
public class NeuralNetRegressionModel extends RegressionModel<Vector, NeuralNetRegressionModel>
    implements NeuralNetModel {

  private static final long serialVersionUID = 1L;
  private static final String UID_PREFIX = "nnRegressionModel";

  private String uid;
  private final NeuralNetParamDefs defs;
  private final FittedNetwork network;

  NeuralNetRegressionModel(String uid, FittedNetwork network) {
    this(PendingUid.stash(uid), network, true);
  }

  private NeuralNetRegressionModel(String uid, FittedNetwork network, boolean stashed) {
    super();
    uid();
    defs = new NeuralNetParamDefs(this, Loss.MSE);
    this.network = network;
  }

  @Override
  public String uid() {
    if (uid == null) {
      uid = PendingUid.take(UID_PREFIX);
    }
    return uid;
  }

  @Override
  public NeuralNetParamDefs neuralNetParamDefs() {
    return defs;
  }

  @Override
  public int numFeatures() {
    return network.numFeatures();
  }

  @Override
  public FittedNetwork fittedNetwork() {
    return network;
  }

  /** A table of the network's layers, output shapes and parameter counts. */
  public String networkSummary() {
    return getNetwork().summary(network.inputShape(), OutputHead.regression(Loss.parse(getLoss())));
  }

  @Override
  public StructType transformSchema(StructType schema) {
    SchemaChecks.requireVector(schema, getFeaturesCol(), numFeatures());
    return super.transformSchema(schema);
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    StructType output = transformSchema(dataset.schema(), true);
    if (getPredictionCol().isEmpty()) {
      return dataset.toDF();
    }
    return BatchScoring.transform(dataset, output, getFeaturesCol(), network, outputs -> new Object[] {outputs[0]});
  }

  @Override
  public double predict(Vector features) {
    return network.output(features)[0];
  }

  @Override
  public NeuralNetRegressionModel copy(ParamMap extra) {
    return copyValues(new NeuralNetRegressionModel(uid(), network), extra).setParent(parent());
  }

  /** A reader for saved models. */
  public static MLReader<NeuralNetRegressionModel> read() {
    return new MLReader<>() {
      @Override
      public NeuralNetRegressionModel load(String path) {
        return FittedNetwork.loadModel(path, sc(), NeuralNetRegressionModel.class, NeuralNetRegressionModel::new);
      }
    };
  }

  /** Loads a model saved with {@code save}. */
  public static NeuralNetRegressionModel load(String path) {
    return read().load(path);
  }

  @Override
  public String toString() {
    return "NeuralNetRegressionModel: uid=" + uid() + ", numFeatures=" + numFeatures() + ", network=" + getNetwork();
  }
}
