package io.neuralake.train;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

import io.neuralake.data.Batch;
import io.neuralake.data.BatchArrays;
import io.neuralake.data.OffHeapFloats;
import io.neuralake.train.ParameterAveragingTrainer.EpochOutcome;
import io.neuralake.train.ParameterAveragingTrainer.EpochStart;
import io.neuralake.train.ParameterAveragingTrainer.RoundStart;
import org.apache.spark.TaskContext;
import org.apache.spark.broadcast.Broadcast;
import org.nd4j.linalg.api.ndarray.INDArray;
import scala.collection.JavaConverters;
import scala.runtime.AbstractFunction1;

/**
 * A worker's epoch in a barrier job over {@link WorkerEpochs}: it fits its batches round by round,
 * and after each round averages its parameters and updater state with the other workers'
 * ({@link PeerGroup}), exactly as the driver would. When a round's summed loss is not finite every
 * worker stops there. The first worker returns the epoch's {@link EpochOutcome}.
 */
final class WorkerEpochTask
    extends AbstractFunction1<scala.collection.Iterator<Iterator<Batch>>, scala.collection.Iterator<EpochOutcome>>
    implements Serializable {

  /** What a worker's failure says when it lost its connection to another worker. */
  static final String LOST_PEER = "lost its connection to the other workers";

  private final String fit;
  private final Broadcast<String> configuration;
  private final Broadcast<EpochStart> start;
  private final SeededTransform exampleTransform;

  /** The fit's id also opens the workers' connections to each other. */
  WorkerEpochTask(String fit, Broadcast<String> configuration, Broadcast<EpochStart> start,
                  SeededTransform exampleTransform) {
    this.fit = fit;
    this.configuration = configuration;
    this.start = start;
    this.exampleTransform = exampleTransform;
  }

  @Override
  public scala.collection.Iterator<EpochOutcome> apply(scala.collection.Iterator<Iterator<Batch>> rounds) {
    // Not BarrierTaskContext.get(): in Spark 3.5 its first call starts a timer thread that is not a daemon,
    // which keeps a local-mode application's JVM from exiting.
    int worker = TaskContext.getPartitionId();
    NativeThreads.limitToTask();
    int device = GpuBinding.bindTask().orElse(WorkerNetworks.NO_GPU);
    EpochStart epoch = start.value();
    TrainableNetwork network = WorkerNetworks.get(fit, worker, device, configuration.value());
    RoundStart from = epoch.state();
    from.loadInto(network);
    int parameterCount = from.parameters().length;
    float[] state = new float[parameterCount + from.updaterState().length];
    int iteration = from.iteration();
    double lossSum = 0;
    long examples = 0;
    BatchArrays arrays = new BatchArrays();
    try (PeerGroup peers = PeerGroup.join(worker, epoch.rendezvous(), fit)) {
      for (int round = 0; rounds.hasNext(); round++) {
        RoundFit fitted = RoundFit.of(network, exampleTransform.over(rounds.next(), from.epoch(), round, worker),
            arrays);
        if (epoch.batchesPerRound()[round] == 0) {
          continue;
        }
        boolean contributes = fitted.examples() > 0;
        if (contributes) {
          OffHeapFloats.into(network.params(), state, 0);
          INDArray updater = network.updaterState();
          if (updater != null) {
            OffHeapFloats.into(updater, state, parameterCount);
          }
        }
        PeerGroup.RoundTotals totals = peers.average(state, contributes, fitted.lossSum(), fitted.examples());
        if (!Double.isFinite(totals.lossSum())) {
          return outcome(worker, epoch, new EpochOutcome(null, null, totals.lossSum(), examples, round));
        }
        iteration += epoch.batchesPerRound()[round];
        RoundStart.load(network, state, 0, state, parameterCount, iteration, from.epoch());
        lossSum += totals.lossSum();
        examples += totals.examples();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("worker " + worker + " " + LOST_PEER, e);
    }
    return outcome(worker, epoch, new EpochOutcome(Arrays.copyOf(state, parameterCount),
        Arrays.copyOfRange(state, parameterCount, state.length), lossSum, examples, -1));
  }

  /** The worker's result, once it has dropped the fit's networks in this JVM where the epoch is the fit's last. */
  private scala.collection.Iterator<EpochOutcome> outcome(int worker, EpochStart epoch, EpochOutcome outcome) {
    if (epoch.dropNetworks()) {
      WorkerNetworks.forget(fit);
    }
    List<EpochOutcome> outcomes = worker == 0 ? List.of(outcome) : List.of();
    return JavaConverters.asScalaIterator(outcomes.iterator());
  }
}
