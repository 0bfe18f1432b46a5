package io.neuralake.estimators;

import io.neuralake.spec.Loss;
import io.neuralake.spec.OutputHead;
import io.neuralake.train.ValidationMetric;
import org.apache.spark.ml.classification.ProbabilisticClassifier;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;

/**
 * A neural-network classifier for Spark ML, trained on the executors by data-parallel mini-batch
 * training with parameter averaging. It fits where {@code LogisticRegression} fits: a vector
 * {@code features} column and a {@code label} column of class indices in, {@code rawPrediction}
 * (log-probabilities), {@code probability} and {@code prediction} out. The number of inputs and
 * of classes come from the data; a softmax output layer is added on top of {@link #network()}.
 */
public class NeuralNetClassifier
    extends ProbabilisticClassifier<Vector, NeuralNetClassifier, NeuralNetClassificationModel>
    implements NeuralNetSetters<NeuralNetClassifier>, DefaultParamsWritable {

  private static final long serialVersionUID = 1L;
  private static final String UID_PREFIX = "nnClassifier";
  /** Upper bound on inferred classes, as a guard against a continuous label. */
  private static final int MAX_CLASSES = 10_000;

  private String uid;
  private final NeuralNetParamDefs defs;

  /** A classifier with a random uid and default params. */
  public NeuralNetClassifier() {
    this(Identifiable.randomUID(UID_PREFIX));
  }

  /** A classifier with the given uid and default params. */
  public NeuralNetClassifier(String uid) {
    this(PendingUid.stash(uid), true);
  }

  private NeuralNetClassifier(String uid, boolean stashed) {
    super();
    uid();
    defs = new NeuralNetParamDefs(this, Loss.CROSSENTROPY);
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
  public NeuralNetClassificationModel train(Dataset<?> dataset) {
    hyperparameters();
    Loss loss = Loss.parse(getLoss());
    SchemaChecks.requireNumeric(dataset.schema(), getLabelCol());
    int classes = LabelClasses.count(dataset, getLabelCol(), MAX_CLASSES);
    if (isDefined(thresholds()) && getThresholds().length != classes) {
      throw new IllegalArgumentException("thresholds has " + getThresholds().length + " values but labelCol '"
          + getLabelCol() + "' has " + classes + " classes; give one threshold per class");
    }
    NeuralNetFitter fitter = new NeuralNetFitter(this, getFeaturesCol(), getLabelCol());
    FittedNetwork network = fitter.fit(dataset, fitter.inputShape(dataset), OutputHead.classification(classes, loss),
        ValidationMetric.ACCURACY);
    return new NeuralNetClassificationModel(uid(), network);
  }

  @Override
  public NeuralNetClassifier copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  /** A reader for saved classifiers. */
  public static MLReader<NeuralNetClassifier> read() {
    return new DefaultParamsReader<>();
  }

  /** Loads a classifier saved with {@code save}. */
  public static NeuralNetClassifier load(String path) {
    return read().load(path);
  }
}
