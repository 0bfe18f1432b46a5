package io.neuralake.estimators;

import io.neuralake.spec.OutputHead;
import io.neuralake.train.NetworkState;
import io.neuralake.train.TrainingHistory;
import org.apache.spark.ml.classification.ProbabilisticClassificationModel;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.types.StructType;

/**
 * A fitted {@link NeuralNetClassifier}. {@code rawPrediction} holds the log-probabilities of the
 * classes, {@code probability} their softmax, and {@code prediction} the class chosen with the
 * optional {@code thresholds}.
 */
public class NeuralNetClassificationModel
    extends ProbabilisticClassificationModel<Vector, NeuralNetClassificationModel>
    implements NeuralNetParams, MLWritable {

  private static final long serialVersionUID = 1L;
  private static final String UID_PREFIX = "nnClassificationModel";
  /** Floor for probabilities before the log, so that a zero gives a finite raw score. */
  private static final double MIN_PROBABILITY = 1e-30;

  private String uid;
  private final NeuralNetParamDefs defs;
  private final FittedNetwork network;

  NeuralNetClassificationModel(String uid, FittedNetwork network) {
    this(PendingUid.stash(uid), network, true);
  }

  private NeuralNetClassificationModel(String uid, FittedNetwork network, boolean stashed) {
    super();
    uid();
    defs = new NeuralNetParamDefs(this);
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
  public int numClasses() {
    return network.numOutputs();
  }

  @Override
  public int numFeatures() {
    return network.numFeatures();
  }

  /** The per-epoch training history: print it, or turn it into a DataFrame. */
  public TrainingHistory summary() {
    return network.history();
  }

  /** A table of the network's layers, output shapes and parameter counts. */
  public String networkSummary() {
    return getNetwork().summary(new long[] {numFeatures()}, OutputHead.classification(numClasses()));
  }

  /** The trained network's configuration, parameters and updater state, e.g. to start a new fit from. */
  public NetworkState networkState() {
    return network.state();
  }

  @Override
  public StructType transformSchema(StructType schema) {
    SchemaChecks.requireVector(schema, getFeaturesCol(), numFeatures());
    return super.transformSchema(schema);
  }

  @Override
  public Vector predictRaw(Vector features) {
    double[] probabilities = network.output(features);
    double[] raw = new double[probabilities.length];
    for (int i = 0; i < raw.length; i++) {
      raw[i] = Math.log(Math.max(probabilities[i], MIN_PROBABILITY));
    }
    return Vectors.dense(raw);
  }

  @Override
  public Vector raw2probabilityInPlace(Vector rawPrediction) {
    double[] values = ((DenseVector) rawPrediction).values();
    double max = Double.NEGATIVE_INFINITY;
    for (double value : values) {
      max = Math.max(max, value);
    }
    double sum = 0;
    for (int i = 0; i < values.length; i++) {
      values[i] = Math.exp(values[i] - max);
      sum += values[i];
    }
    for (int i = 0; i < values.length; i++) {
      values[i] /= sum;
    }
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

  @Override
  public MLWriter write() {
    return new NeuralNetModelWriter(this, network);
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
