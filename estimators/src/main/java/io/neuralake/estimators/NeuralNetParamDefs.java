package io.neuralake.estimators;

import java.io.Serializable;
import java.util.Arrays;

import io.neuralake.spec.GradientClipping;
import io.neuralake.spec.LearningRateSchedule;
import io.neuralake.spec.Loss;
import io.neuralake.spec.NetworkSpec;
import io.neuralake.spec.Optimizer;
import io.neuralake.spec.WeightInitScheme;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;

/** The params of {@link NeuralNetParams}, made once per stage with the stage as their parent. */
final class NeuralNetParamDefs implements Serializable {

  /** Hidden layers of the default network: a two-layer ReLU MLP. */
  static final NetworkSpec DEFAULT_NETWORK = NetworkSpec.mlp(128, 64);

  final NetworkSpecParam network;
  final IntParam epochs;
  final IntParam batchSize;
  final IntParam numWorkers;
  final IntParam averagingFrequency;
  final Param<String> updater;
  final DoubleParam learningRate;
  final DoubleParam momentum;
  final LongParam seed;
  final DoubleParam l1;
  final DoubleParam l2;
  final Param<String> weightInit;
  final DoubleParam validationFraction;
  final Param<String> validationIndicatorCol;
  final IntParam earlyStoppingPatience;
  final IntArrayParam inputShape;
  final Param<String> loss;
  final Param<String> learningRateSchedule;
  final IntParam warmupIterations;
  final Param<String> gradientClipping;
  final DoubleParam maxNorm;
  final Param<String> initialModelPath;

  /** Creates the params for {@code owner} and sets their defaults on it, {@code defaultLoss} included. */
  NeuralNetParamDefs(Params owner, Loss defaultLoss) {
    network = new NetworkSpecParam(owner, "network", "hidden layers, as a NetworkSpec or its text form "
        + "(e.g. 'dense(128, relu) -> dropout(0.2) -> dense(64, relu)'); the output layer is added from the label");
    epochs = new IntParam(owner, "epochs", "passes over the training data (>= 1)", ParamValidators.gtEq(1));
    batchSize = new IntParam(owner, "batchSize", "examples per mini-batch on each worker (>= 1)",
        ParamValidators.gtEq(1));
    numWorkers = new IntParam(owner, "numWorkers", "parallel workers (partitions) that train by parameter "
        + "averaging; 0 uses Spark's default parallelism", ParamValidators.gtEq(0));
    averagingFrequency = new IntParam(owner, "averagingFrequency",
        "mini-batches each worker fits between two parameter averages (>= 1)", ParamValidators.gtEq(1));
    updater = new Param<>(owner, "updater", "gradient updater: one of " + Arrays.toString(Optimizer.NAMES),
        ParamValidators.inArray(Optimizer.NAMES));
    learningRate = new DoubleParam(owner, "learningRate", "the updater's learning rate (> 0)", ParamValidators.gt(0));
    momentum = new DoubleParam(owner, "momentum", "momentum of the momentum and nesterov updaters, in [0, 1)",
        ParamValidators.inRange(0, 1, true, false));
    seed = new LongParam(owner, "seed", "random seed for initialization, shuffling, dropout and validation split");
    l1 = new DoubleParam(owner, "l1", "L1 penalty on weights (>= 0)", ParamValidators.gtEq(0));
    l2 = new DoubleParam(owner, "l2", "L2 penalty on weights (>= 0)", ParamValidators.gtEq(0));
    weightInit = new Param<>(owner, "weightInit", "weight initialization: one of "
        + Arrays.toString(WeightInitScheme.NAMES), ParamValidators.inArray(WeightInitScheme.NAMES));
    validationFraction = new DoubleParam(owner, "validationFraction", "share of rows held out for validation "
        + "loss and metric each epoch, in [0, 1); ignored when validationIndicatorCol is set",
        ParamValidators.inRange(0, 1, true, false));
    validationIndicatorCol = new Param<>(owner, "validationIndicatorCol",
        "boolean column that marks validation rows (true) and training rows (false); empty for none");
    earlyStoppingPatience = new IntParam(owner, "earlyStoppingPatience", "epochs without a lower validation "
        + "loss before training stops and keeps the best epoch; 0 turns early stopping off", ParamValidators.gtEq(0));

    inputShape = new IntArrayParam(owner, "inputShape", "shape of one example, e.g. [1, 28, 28] for "
        + "(channels, height, width) images flattened in that order; empty takes it from the features column's "
        + "metadata, else [vector size]");
    loss = new Param<>(owner, "loss", "training loss: one of " + Arrays.toString(Loss.NAMES) + "; a classifier "
        + "defaults to crossentropy, a regressor to mse", ParamValidators.inArray(Loss.NAMES));
    learningRateSchedule = new Param<>(owner, "learningRateSchedule", "learning rate by iteration: constant, "
        + "step(decay, every), exponential(gamma) or cosine(iterations)");
    warmupIterations = new IntParam(owner, "warmupIterations", "iterations of linear learning-rate warm-up from 0 "
        + "(>= 0)", ParamValidators.gtEq(0));
    gradientClipping = new Param<>(owner, "gradientClipping", "gradient clipping: none, norm(t) (each layer's "
        + "gradient L2 norm at most t) or value(t) (each element in [-t, t])");
    maxNorm = new DoubleParam(owner, "maxNorm", "largest L2 norm of each unit's (or convolution filter's) incoming "
        + "weights, enforced after every update; 0 for none", ParamValidators.gtEq(0));
    initialModelPath = new Param<>(owner, "initialModelPath", "path of a saved neural-net model whose weights start "
        + "the fit (same layers and sizes; the updater starts fresh); empty for a random start");

    owner.setDefault(network, DEFAULT_NETWORK);
    owner.setDefault(loss, defaultLoss.textName());
    owner.setDefault(epochs, 10);
    owner.setDefault(batchSize, 32);
    owner.setDefault(numWorkers, 0);
    owner.setDefault(averagingFrequency, 50);
    owner.setDefault(updater, Optimizer.ADAM.textName());
    owner.setDefault(learningRate, 1e-3);
    owner.setDefault(momentum, 0.9);
    owner.setDefault(seed, (long) owner.getClass().getName().hashCode());
    owner.setDefault(l1, 0.0);
    owner.setDefault(l2, 0.0);
    owner.setDefault(weightInit, WeightInitScheme.XAVIER.textName());
    owner.setDefault(validationFraction, 0.0);
    owner.setDefault(validationIndicatorCol, "");
    owner.setDefault(earlyStoppingPatience, 0);
    owner.setDefault(inputShape, new int[0]);
    owner.setDefault(learningRateSchedule, LearningRateSchedule.CONSTANT.kind());
    owner.setDefault(warmupIterations, 0);
    owner.setDefault(gradientClipping, GradientClipping.NONE.mode());
    owner.setDefault(maxNorm, 0.0);
    owner.setDefault(initialModelPath, "");
  }
}
