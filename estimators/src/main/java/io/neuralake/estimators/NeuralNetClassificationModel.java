package io.neuralake.estimators;

import io.neuralake.spec.Loss;
import io.neuralake.spec.OutputHead;
import org.apache.spark.ml.classification.ProbabilisticClassificationModel;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * A fitted {@link NeuralNetClassifier}. {@code rawPrediction} holds the log-probabilities of the
 * classes, {@code probability} their softmax, and {@code prediction} the class chosen with the
 * optional {@code thresholds}. {@code transform} broadcasts the network once and scores rows in
 * batches.
 */
public class NeuralNetClassificationModel
    extends ProbabilisticClassificationModel<Vector, NeuralNetClassificationModel>
    implements NeuralNetModel {

  private static final long serialVersionUID = 1L;
  private static final String UID_PREFIX = "nnClassificationModel";

  private String uid;
  private final NeuralNetParamDefs defs;
  private final FittedNetwork network;

  NeuralNetClassificationModel(String uid, FittedNetwork network) {
    this(PendingUid.stash(uid), network, true);
  }

  private NeuralNetClassificationModel(String uid, FittedNetwork network, boolean stashed) {
    super();
    uid();
    defs = new NeuralNetParamDefs(this, Loss.CROSSENTROPY);
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

  /** The number of classes: the softmax outputs, or 2 for one sigmoid output. */
  @Override
  public int numClasses() {
    return Math.max(2, network.numOutputs());
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
    return getNetwork().summary(network.inputShape(), OutputHead.classification(numClasses(), Loss.parse(getLoss())));
  }

  @Override
  public StructType transformSchema(StructType schema) {
    SchemaChecks.requireVector(schema, getFeaturesCol(), numFeatures());
    return super.transformSchema(schema);
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    StructType output = transformSchema(dataset.schema(), true);
    return BatchScoring.transform(dataset, output, getFeaturesCol(), network,
        ClassifierOutputs.of(this, dataset.schema(), output));
  }

  @Override
  public Vector predictRaw(Vector features) {
    return Vectors.dense(ClassifierOutputs.logProbabilities(ClassifierOutputs.classProbabilities(network.output(features))));
  }

  @Override
  public Vector raw2probabilityInPlace(Vector rawPrediction) {
    ClassifierOutputs.softmaxInPlace(((DenseVector) rawPrediction).values());
    return rawPrediction;
  }

  @Override
  @SuppressWarnings("rawtypes")
  public scala.Tuple3 findSummaryModel() {
    return super.findSummaryModel();
  }

  @Override
  public NeuralNetClassificationModel copy(ParamMap extra) {
    return copyValues(new NeuralNetClassificationModel(uid(), network), extra).setParent(parent());
  }

  /** A reader for saved models. */
  public static MLReader<NeuralNetClassificationModel> read() {
    return new MLReader<>() {
      @Override
      public NeuralNetClassificationModel load(String path) {
        return FittedNetwork.loadModel(path, sc(), NeuralNetClassificationModel.class,
            NeuralNetClassificationModel::new);
      }
    };
  }

  /** Loads a model saved with {@code save}. */
  public static NeuralNetClassificationModel load(String path) {
    return read().load(path);
  }

  @Override
  public String toString() {
    return "NeuralNetClassificationModel: uid=" + uid() + ", numClasses=" + numClasses()
        + ", numFeatures=" + numFeatures() + ", network=" + getNetwork();
  }
}
