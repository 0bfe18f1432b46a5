package io.neuralake.train;

import java.io.Serializable;
import java.util.Iterator;
import java.util.List;

import com.esotericsoftware.kryo.DefaultSerializer;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import io.neuralake.data.Batch;
import io.neuralake.data.BatchArrays;
import io.neuralake.train.ParameterAveragingTrainer.EpochOutcome;
import io.neuralake.train.ParameterAveragingTrainer.RoundStart;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An epoch as one Spark job per round, whose workers' results the driver sums and averages: the
 * path for clusters where the workers cannot all run at once (see {@link ParameterAveragingTrainer}).
 */
final class DriverAveragedEpoch {

  private DriverAveragedEpoch() {}

  /** {@code plan}'s workers train the epoch from {@code from}, a job per round of {@code train}. */
  static EpochOutcome run(JavaSparkContext jsc, String fit, JavaRDD<Batch> train, String[] executors, RoundStart from,
                          int[] batchesPerRound, Broadcast<String> configuration, TrainingPlan plan,
                          SeededTransform exampleTransform) {
    int workers = plan.workers();
    float[] parameters = from.parameters();
    float[] updater = from.updaterState();
    int iteration = from.iteration();
    double lossSum = 0;
    long examples = 0;
    for (int round = 0; round < batchesPerRound.length; round++) {
      if (batchesPerRound[round] == 0) {
        continue;
      }
      Broadcast<RoundStart> roundStart = jsc.broadcast(new RoundStart(parameters, updater, iteration, from.epoch()));
      RoundResult result;
      try {
        result = WorkerPartitions.round(train, round, workers, executors)
            .mapPartitions(
                new RoundTask(fit, configuration, roundStart, round, exampleTransform))
            .treeReduce(RoundResult::plus, 2);
      } finally {
        roundStart.destroy();
      }
      if (!Double.isFinite(result.lossSum())) {
        return new EpochOutcome(parameters, updater, result.lossSum(), examples, round);
      }
      parameters = result.averageParameters();
      updater = result.averageUpdaterState();
      iteration += batchesPerRound[round];
      lossSum += result.lossSum();
      examples += result.examples();
    }
    return new EpochOutcome(parameters, updater, lossSum, examples, -1);
  }

  /** One worker's round, summed with others' by {@link #plus}. */
  @DefaultSerializer(JavaSerializer.class)
  private record RoundResult(float[] parameterSum, float[] updaterSum, int workers, long examples, double lossSum)
      implements Serializable {

    RoundResult plus(RoundResult other) {
      return new RoundResult(add(parameterSum, other.parameterSum), add(updaterSum, other.updaterSum),
          workers + other.workers, examples + other.examples, lossSum + other.lossSum);
    }

    float[] averageParameters() {
      return divide(parameterSum, workers);
    }

    float[] averageUpdaterState() {
      return divide(updaterSum, workers);
    }

    private static float[] add(float[] a, float[] b) {
      float[] sum = a.clone();
      for (int i = 0; i < sum.length; i++) {
        sum[i] += b[i];
      }
      return sum;
    }

    private static float[] divide(float[] a, int divisor) {
      if (divisor == 1) {
        return a;
      }
      float[] result = new float[a.length];
      for (int i = 0; i < a.length; i++) {
        result[i] = a[i] / divisor;
      }
      return result;
    }
  }

  /** A worker's part of a round: fit its batches of the round starting from the round's state. */
  private record RoundTask(String fit, Broadcast<String> configuration, Broadcast<RoundStart> start, int round,
                           SeededTransform exampleTransform)
      implements FlatMapFunction<Iterator<Batch>, RoundResult> {

    @Override
    public Iterator<RoundResult> call(Iterator<Batch> batches) {
      if (!batches.hasNext()) {
        return List.<RoundResult>of().iterator();
      }
      NativeThreads.limitToTask();
      int device = GpuBinding.bindTask().orElse(WorkerNetworks.NO_GPU);
      RoundStart from = start.value();
      // A round's partition number is its worker's (WorkerPartitions).
      int worker = TaskContext.getPartitionId();
      TrainableNetwork network = WorkerNetworks.get(fit, worker, device, configuration.value());
      from.loadInto(network);
      RoundFit fitted = RoundFit.of(network, exampleTransform.over(batches, from.epoch(), round, worker),
          new BatchArrays());
      INDArray state = network.updaterState();
      return List.of(new RoundResult(NetworkState.toFloats(network.params()),
          state == null ? new float[0] : NetworkState.toFloats(state), 1, fitted.examples(), fitted.lossSum()))
          .iterator();
    }
  }
}
