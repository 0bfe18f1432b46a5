package io.neuralake.estimators;

import io.neuralake.spec.Loss;
import io.neuralake.spec.OutputHead;
import io.neuralake.train.ValidationMetric;
import org.apache.spark.ml.Predictor;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;

/**
 * A neural-network regressor for Spark ML, trained on the executors by parameter averaging.
 * A vector {@code features} column and a numeric {@code label} column in, {@code prediction}
 * out. One linear output trained with mean squared error is added on top of {@link #network()}.
 */
public class NeuralNetRegressor extends Predictor<Vector, NeuralNetRegressor, NeuralNetRegressionModel>
    implements NeuralNetSetters<NeuralNetRegressor>, DefaultParamsWritable {

  private static final long serialVersionUID = 1L;
  private static final String UID_PREFIX = "nnRegressor";

  private String uid;
  private final NeuralNetParamDefs defs;

  /** A regressor with a random uid and default params. */
  public NeuralNetRegressor() {
    this(Identifiable.randomUID(UID_PREFIX));
  }

  /** A regressor with the given uid and default params. */
  public NeuralNetRegressor(String uid) {
    this(PendingUid.stash(uid), true);
  }

  private NeuralNetRegressor(String uid, boolean stashed) {
    super();
    uid();
    defs = new NeuralNetParamDefs(this, Loss.MSE);
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
  public StructType transformSchema(StructType schema) {
    SchemaChecks.requireVector(schema, getFeaturesCol(), 0);
    return super.transformSchema(schema);
  }

  @Override
  public NeuralNetRegressionModel train(Dataset<?> dataset) {
    hyperparameters();
    OutputHead head = OutputHead.regression(Loss.parse(getLoss()));
    SchemaChecks.requireNumeric(dataset.schema(), getLabelCol());
    NeuralNetFitter fitter = new NeuralNetFitter(this, getFeaturesCol(), getLabelCol());
    FittedNetwork network = fitter.fit(dataset, fitter.inputShape(dataset), head, ValidationMetric.RMSE);
    return new NeuralNetRegressionModel(uid(), network);
  }

  @Override
  public NeuralNetRegressor copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  /** A reader for saved regressors. */
  public static MLReader<NeuralNetRegressor> read() {
    return new DefaultParamsReader<>();
  }

  /** Loads a regressor saved with {@code save}. */
  public static NeuralNetRegressor load(String path) {
    return read().load(path);
  }
}
