package io.neuralake.estimators;

import io.neuralake.spec.GradientClipping;
import io.neuralake.spec.Hyperparameters;
import io.neuralake.spec.LearningRateSchedule;
import io.neuralake.spec.NetworkSpec;
import io.neuralake.spec.Optimizer;
import io.neuralake.spec.WeightInitScheme;
import io.neuralake.train.TrainingPlan;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/** The training params shared by the neural-net estimators and their models. */
public interface NeuralNetParams extends Params {

  /** The holder of this stage's param objects. */
  NeuralNetParamDefs neuralNetParamDefs();

  /** Hidden layers; the output layer is added from the label. Default: dense(128) → dense(64), ReLU. */
  default NetworkSpecParam network() {
    return neuralNetParamDefs().network;
  }

  /** Passes over the training data. Default 10. */
  default IntParam epochs() {
    return neuralNetParamDefs().epochs;
  }

  /** Examples per mini-batch on each worker. Default 32. */
  default IntParam batchSize() {
    return neuralNetParamDefs().batchSize;
  }

  /** Parallel workers (partitions); 0 means Spark's default parallelism. Default 0. */
  default IntParam numWorkers() {
    return neuralNetParamDefs().numWorkers;
  }

  /** Mini-batches per worker between parameter averages. Default 20. */
  default IntParam averagingFrequency() {
    return neuralNetParamDefs().averagingFrequency;
  }

  /** Gradient updater: sgd, momentum, nesterov, adam, rmsprop or adagrad. Default adam. */
  default Param<String> updater() {
    return neuralNetParamDefs().updater;
  }

  /** The updater's learning rate. Default 0.001. */
  default DoubleParam learningRate() {
    return neuralNetParamDefs().learningRate;
  }

  /** Momentum of the momentum and nesterov updaters. Default 0.9. */
  default DoubleParam momentum() {
    return neuralNetParamDefs().momentum;
  }

  /** Random seed. Default: a hash of the class name, as in Spark. */
  default LongParam seed() {
    return neuralNetParamDefs().seed;
  }

  /** L1 penalty on weights. Default 0. */
  default DoubleParam l1() {
    return neuralNetParamDefs().l1;
  }

  /** L2 penalty on weights. Default 0. */
  default DoubleParam l2() {
    return neuralNetParamDefs().l2;
  }

  /** Weight initialization: zero, uniform, normal, xavier, he or orthogonal. Default xavier. */
  default Param<String> weightInit() {
    return neuralNetParamDefs().weightInit;
  }

  /** Share of rows held out for validation. Default 0 (none). */
  default DoubleParam validationFraction() {
    return neuralNetParamDefs().validationFraction;
  }

  /** Boolean column marking validation rows; empty for none. Default empty. */
  default Param<String> validationIndicatorCol() {
    return neuralNetParamDefs().validationIndicatorCol;
  }

  /** Epochs without a lower validation loss before stopping; 0 is off. Default 0. */
  default IntParam earlyStoppingPatience() {
    return neuralNetParamDefs().earlyStoppingPatience;
  }

  /** Shape of one example, e.g. [1, 28, 28]; empty takes it from metadata, else [vector size]. Default empty. */
  default IntArrayParam inputShape() {
    return neuralNetParamDefs().inputShape;
  }

  /** Training loss; a classifier defaults to crossentropy, a regressor to mse. */
  default Param<String> loss() {
    return neuralNetParamDefs().loss;
  }

  /** Learning rate by iteration: constant, step(decay, every), exponential(gamma), cosine(iterations). Default constant. */
  default Param<String> learningRateSchedule() {
    return neuralNetParamDefs().learningRateSchedule;
  }

  /** Iterations of linear learning-rate warm-up. Default 0. */
  default IntParam warmupIterations() {
    return neuralNetParamDefs().warmupIterations;
  }

  /** Gradient clipping: none, norm(t) or value(t). Default none. */
  default Param<String> gradientClipping() {
    return neuralNetParamDefs().gradientClipping;
  }

  /** Largest L2 norm of each unit's incoming weights; 0 for none. Default 0. */
  default DoubleParam maxNorm() {
    return neuralNetParamDefs().maxNorm;
  }

  /** A saved model whose weights start the fit; empty for a random start. Default empty. */
  default Param<String> initialModelPath() {
    return neuralNetParamDefs().initialModelPath;
  }

  default NetworkSpec getNetwork() {
    return $(network());
  }

  default int getEpochs() {
    return (Integer) $(epochs());
  }

  default int getBatchSize() {
    return (Integer) $(batchSize());
  }

  default int getNumWorkers() {
    return (Integer) $(numWorkers());
  }

  default int getAveragingFrequency() {
    return (Integer) $(averagingFrequency());
  }

  default String getUpdater() {
    return $(updater());
  }

  default double getLearningRate() {
    return (Double) $(learningRate());
  }

  default double getMomentum() {
    return (Double) $(momentum());
  }

  default long getSeed() {
    return (Long) $(seed());
  }

  default double getL1() {
    return (Double) $(l1());
  }

  default double getL2() {
    return (Double) $(l2());
  }

  default String getWeightInit() {
    return $(weightInit());
  }

  default double getValidationFraction() {
    return (Double) $(validationFraction());
  }

  default String getValidationIndicatorCol() {
    return $(validationIndicatorCol());
  }

  default int getEarlyStoppingPatience() {
    return (Integer) $(earlyStoppingPatience());
  }

  default int[] getInputShape() {
    return $(inputShape());
  }

  default String getLoss() {
    return $(loss());
  }

  default String getLearningRateSchedule() {
    return $(learningRateSchedule());
  }

  default int getWarmupIterations() {
    return (Integer) $(warmupIterations());
  }

  default String getGradientClipping() {
    return $(gradientClipping());
  }

  default String getInitialModelPath() {
    return $(initialModelPath());
  }

  default double getMaxNorm() {
    return (Double) $(maxNorm());
  }

  /** The hyperparameters these params describe; text params that cannot be read fail here, before any job. */
  default Hyperparameters hyperparameters() {
    return new Hyperparameters(Optimizer.parse(getUpdater()), getLearningRate(), getMomentum(), getL1(), getL2(),
        WeightInitScheme.parse(getWeightInit()), getSeed(),
        LearningRateSchedule.parse(getLearningRateSchedule(), getWarmupIterations()),
        GradientClipping.parse(getGradientClipping()), getMaxNorm());
  }

  /** The training plan these params describe, for {@code workers} workers. */
  default TrainingPlan trainingPlan(int workers) {
    return new TrainingPlan(getEpochs(), workers, getEarlyStoppingPatience());
  }
}
