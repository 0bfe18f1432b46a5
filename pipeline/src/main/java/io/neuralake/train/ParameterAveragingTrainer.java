package io.neuralake.train;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;

import com.esotericsoftware.kryo.DefaultSerializer;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import io.neuralake.data.Batch;
import io.neuralake.data.OffHeapFloats;
import org.apache.spark.SparkContext;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.RDD;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.Utils;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.reflect.ClassTag$;

/**
 * Data-parallel training by parameter averaging, as DL4J defines it: in each round every worker
 * starts from the same parameters and updater state, fits its batches of the round, and the
 * workers' parameters and updater states are averaged. The training batches come laid out by
 * {@link io.neuralake.data.BatchMaker}: partition {@code round × workers + worker} holds a worker's
 * batches of one round. They stay cached on the executors (in memory, or on disk where memory runs
 * short) across epochs, and the epoch loop (losses, validation, early stopping, divergence checks)
 * runs on the driver.
 *
 * <p>Where Spark can run all workers at once, an epoch is one barrier job whose workers average
 * among themselves over TCP after each round ({@link PeerGroup}); otherwise (more workers than task
 * slots, or dynamic allocation) each round is a job whose results the driver averages. Both give
 * the same bits.
 *
 * <p>With one worker and plain SGD this is exactly single-JVM training on the same batches.
 */
public final class ParameterAveragingTrainer {

  private static final Logger LOG = LoggerFactory.getLogger(ParameterAveragingTrainer.class);

  private final TrainingPlan plan;
  private final Averaging averaging;

  /** A trainer that follows {@code plan}. */
  public ParameterAveragingTrainer(TrainingPlan plan) {
    this(plan, Averaging.AMONG_WORKERS_WHERE_POSSIBLE);
  }

  ParameterAveragingTrainer(TrainingPlan plan, Averaging averaging) {
    this.plan = plan;
    this.averaging = averaging;
  }

  /** Where the workers' parameters are averaged after each round. */
  enum Averaging {
    /**
     * Among the workers, within one barrier job per epoch, where Spark can run all workers at once:
     * enough task slots, and no dynamic allocation (which barrier jobs do not support).
     */
    AMONG_WORKERS_WHERE_POSSIBLE,
    /** On the driver, one job per round. */
    ON_THE_DRIVER;

    boolean amongWorkers(SparkContext sc, int workers) {
      if (this == ON_THE_DRIVER) {
        return false;
      }
      if (Utils.isDynamicAllocationEnabled(sc.conf())) {
        LOG.info("dynamic allocation is on, which barrier jobs do not support: the driver averages each round");
        return false;
      }
      int slots = sc.maxNumConcurrentTasks(sc.resourceProfileManager().defaultResourceProfile());
      if (workers > slots) {
        LOG.info("{} workers but {} task slots: the driver averages each round, as workers cannot all run at once",
            workers, slots);
        return false;
      }
      return true;
    }
  }

  /**
   * Trains a copy of {@code initial}; {@code initial} itself is not changed.
   *
   * @param initial the starting network (configuration, parameters and updater state)
   * @param train training batches, one partition per worker
   * @param validation validation batches, or null for none
   * @param metric the metric to report on validation data
   */
  public TrainingResult fit(NetworkState initial, JavaRDD<Batch> train, JavaRDD<Batch> validation,
                            ValidationMetric metric) {
    if (plan.earlyStoppingPatience() > 0 && validation == null) {
      throw new IllegalArgumentException("earlyStoppingPatience is " + plan.earlyStoppingPatience()
          + " but there is no validation data; set validationFraction or validationIndicatorCol");
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(train.context());
    List<JavaRDD<Batch>> cachedHere = new ArrayList<>();
    cacheUnlessCached(train, cachedHere);
    if (validation != null) {
      cacheUnlessCached(validation, cachedHere);
    }
    Broadcast<String> configuration = jsc.broadcast(initial.configurationJson());
    String fit = UUID.randomUUID().toString();
    try {
      return run(fit, jsc, initial, train, validation, configuration, metric);
    } finally {
      WorkerNetworks.forget(fit);
      configuration.destroy();
      // Blocking, so that the blocks are gone when the fit returns and no later removal races this one.
      cachedHere.forEach(rdd -> rdd.unpersist(true));
    }
  }

  /** Batches are read once per round, so they must stay on the executors; the caller's cache is left alone. */
  private static void cacheUnlessCached(JavaRDD<Batch> batches, List<JavaRDD<Batch>> cachedHere) {
    if (batches.getStorageLevel().equals(StorageLevel.NONE())) {
      batches.persist(StorageLevel.MEMORY_AND_DISK());
      cachedHere.add(batches);
    }
  }

  private TrainingResult run(String fit, JavaSparkContext jsc, NetworkState initial, JavaRDD<Batch> train,
                             JavaRDD<Batch> validation, Broadcast<String> configuration, ValidationMetric metric) {
    int workers = plan.workers();
    if (train.getNumPartitions() % workers != 0) {
      throw new IllegalArgumentException("the training batches have " + train.getNumPartitions()
          + " partitions, which do not split into rounds of " + workers + " workers; make them with "
          + "BatchMaker.batches(data, " + workers + ", batchesPerRound, ...)");
    }
    String[] executors = WorkerPartitions.executors(jsc.sc());
    List<Integer> batchesPerPartition = WorkerPartitions.all(train, workers, executors).mapPartitions(batches -> {
      int count = 0;
      for (; batches.hasNext(); batches.next()) {
        count++;
      }
      return List.of(count).iterator();
    }).collect();
    int[] batchesPerRound = new int[train.getNumPartitions() / workers];
    for (int partition = 0; partition < batchesPerPartition.size(); partition++) {
      batchesPerRound[partition / workers] =
          Math.max(batchesPerRound[partition / workers], batchesPerPartition.get(partition));
    }
    if (java.util.Arrays.stream(batchesPerRound).sum() == 0) {
      throw new IllegalArgumentException("the training data is empty: there is nothing to fit");
    }
    warnIfResultsGoIndirect(jsc, 4L * (initial.parameters().length + initial.updaterState().length));
    MultiLayerConfiguration parsed = MultiLayerConfiguration.fromJson(initial.configurationJson());
    int iteration = parsed.getIterationCount();
    int startEpoch = parsed.getEpochCount();
    float[] parameters = initial.parameters();
    float[] updater = initial.updaterState();

    boolean amongWorkers = averaging.amongWorkers(jsc.sc(), workers);
    List<EpochStats> epochs = new ArrayList<>();
    float[] bestParameters = null;
    float[] bestUpdater = null;
    double bestLoss = Double.POSITIVE_INFINITY;
    int sinceBest = 0;
    for (int epoch = 1; epoch <= plan.epochs(); epoch++) {
      long start = System.nanoTime();
      RoundStart from = new RoundStart(parameters, updater, iteration, startEpoch + epoch - 1);
      EpochOutcome outcome = amongWorkers
          ? epochAmongWorkers(jsc, fit, train, executors, from, batchesPerRound, configuration)
          : epochByRoundJobs(jsc, fit, train, executors, from, batchesPerRound, configuration);
      if (outcome.divergedRound() >= 0) {
        throw new IllegalStateException("training diverged in epoch " + epoch + ", round "
            + (outcome.divergedRound() + 1) + ": the loss is " + outcome.lossSum() + "; lower the learning rate or scale the features");
      }
      parameters = outcome.parameters();
      updater = outcome.updaterState();
      iteration += Arrays.stream(batchesPerRound).sum();
      double lossSum = outcome.lossSum();
      long examples = outcome.examples();
      double validationLoss = Double.NaN;
      double validationMetric = Double.NaN;
      if (validation != null) {
        Evaluation evaluation = evaluate(jsc, validation, new NetworkState(
            initial.configurationJson(), parameters, updater), metric, plan.threadsPerWorker());
        validationLoss = evaluation.loss();
        validationMetric = evaluation.metric(metric);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      EpochStats stats = new EpochStats(epoch, lossSum / examples, validationLoss, validationMetric,
          seconds, examples / seconds);
      epochs.add(stats);
      LOG.info(String.format("epoch %d/%d: train_loss %.5f%s (%.2f s, %.0f samples/s)", epoch, plan.epochs(),
          stats.trainLoss(), validation == null ? ""
              : String.format(", validation_loss %.5f, %s %.5f", validationLoss, metric.columnName(), validationMetric),
          seconds, stats.samplesPerSecond()));
      if (plan.earlyStoppingPatience() > 0) {
        if (validationLoss < bestLoss) {
          bestLoss = validationLoss;
          bestParameters = parameters;
          bestUpdater = updater;
          sinceBest = 0;
        } else if (++sinceBest >= plan.earlyStoppingPatience()) {
          LOG.info("early stopping after epoch {}: no lower validation loss for {} epochs; keeping epoch {}",
              epoch, sinceBest, epoch - sinceBest);
          break;
        }
      }
    }
    if (bestParameters != null) {
      parameters = bestParameters;
      updater = bestUpdater;
    }
    parsed.setIterationCount(iteration);
    parsed.setEpochCount(startEpoch + epochs.size());
    return new TrainingResult(new NetworkState(parsed.toJson(), parameters, updater),
        new TrainingHistory(metric, epochs));
  }

  /**
   * An epoch as one barrier job: each worker's task fits all its rounds and averages with the other
   * workers after each one (see {@link PeerGroup}), so rounds cost no job, broadcast or driver time.
   */
  private EpochOutcome epochAmongWorkers(JavaSparkContext jsc, String fit, JavaRDD<Batch> train, String[] executors,
                                         RoundStart from, int[] batchesPerRound, Broadcast<String> configuration) {
    Broadcast<EpochStart> start = null;
    try (Rendezvous rendezvous = new Rendezvous(jsc.sc().conf().get("spark.driver.host"), plan.workers(), fit)) {
      start = jsc.broadcast(new EpochStart(from, batchesPerRound, rendezvous.address()));
      RDD<EpochOutcome> outcomes = new WorkerEpochs(train.rdd(), plan.workers(), executors).barrier().mapPartitions(
          new WorkerEpochTask(fit, configuration, start, plan.threadsPerWorker()), false,
          ClassTag$.MODULE$.apply(EpochOutcome.class));
      // Every worker ends the epoch with the same state; the first one returns it.
      return outcomes.toJavaRDD().collect().get(0);
    } catch (IOException e) {
      throw new UncheckedIOException("could not open the workers' rendezvous on the driver", e);
    } finally {
      if (start != null) {
        start.destroy();
      }
    }
  }

  /** An epoch as one job per round, whose workers' results the driver averages. */
  private EpochOutcome epochByRoundJobs(JavaSparkContext jsc, String fit, JavaRDD<Batch> train, String[] executors,
                                        RoundStart from, int[] batchesPerRound, Broadcast<String> configuration) {
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
            .mapPartitions(new RoundTask(fit, configuration, roundStart, plan.threadsPerWorker()))
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

  /**
   * Each round's task result carries a worker's parameters and updater state. Above
   * {@code spark.task.maxDirectResultSize} (1 MB by default) Spark routes it through the block
   * manager, which costs tens of milliseconds per round (measured: 5,900 vs 4,100 samples/s).
   */
  private static void warnIfResultsGoIndirect(JavaSparkContext jsc, long resultBytes) {
    long limit = jsc.sc().conf().getSizeAsBytes("spark.task.maxDirectResultSize", "1m");
    if (resultBytes > limit) {
      LOG.warn(String.format("each averaging round returns %.1f MB per worker, above spark.task.maxDirectResultSize "
          + "(%.1f MB): set it to at least %dm when the session starts, for faster rounds", resultBytes / 1e6,
          limit / 1e6, resultBytes / (1 << 20) + 1));
    }
  }

  /** The mean loss and the metric of {@code state} on {@code data}. */
  public static Evaluation evaluate(JavaSparkContext jsc, JavaRDD<Batch> data, NetworkState state,
                                    ValidationMetric metric, int threadsPerWorker) {
    Broadcast<NetworkState> network = jsc.broadcast(state);
    try {
      return data.mapPartitions((FlatMapFunction<Iterator<Batch>, Evaluation>) batches -> {
        if (!batches.hasNext()) {
          return List.<Evaluation>of().iterator();
        }
        NativeThreads.limit(threadsPerWorker);
        GpuBinding.bindTask();
        MultiLayerNetwork net = network.value().toNetwork();
        Evaluation sum = new Evaluation(0, 0, 0);
        while (batches.hasNext()) {
          Batch batch = batches.next();
          DataSet data1 = batch.toDataSet();
          double loss = net.score(data1, false) * batch.rows();
          double metricSum = metric.batchSum(net.output(data1.getFeatures(), false), data1.getLabels());
          sum = sum.plus(new Evaluation(loss, metricSum, batch.rows()));
        }
        return List.of(sum).iterator();
      }).reduce(Evaluation::plus);
    } finally {
      network.destroy();
    }
  }

  /**
   * Summed loss and metric over some examples.
   *
   * @param lossSum loss times examples, summed
   * @param metricSum the metric's per-batch sums
   * @param examples number of examples
   */
  @DefaultSerializer(JavaSerializer.class)
  public record Evaluation(double lossSum, double metricSum, long examples) implements Serializable {

    Evaluation plus(Evaluation other) {
      return new Evaluation(lossSum + other.lossSum, metricSum + other.metricSum, examples + other.examples);
    }

    /** The mean loss. */
    public double loss() {
      return lossSum / examples;
    }

    /** The metric's value. */
    public double metric(ValidationMetric metric) {
      return metric.finish(metricSum, examples);
    }
  }

  /** What every worker starts a round from. */
  @DefaultSerializer(JavaSerializer.class)
  record RoundStart(float[] parameters, float[] updaterState, int iteration, int epoch) implements Serializable {

    /** Sets {@code network}'s parameters, updater state and counters to these. */
    void loadInto(MultiLayerNetwork network) {
      network.getLayerWiseConfigurations().setIterationCount(iteration);
      network.getLayerWiseConfigurations().setEpochCount(epoch);
      OffHeapFloats.copy(parameters, network.params());
      INDArray state = network.getUpdater().getStateViewArray();
      if (state != null) {
        OffHeapFloats.copy(updaterState, state);
      }
    }
  }

  /**
   * What every worker starts an epoch from, how many batches each round's busiest worker has, and
   * where the workers find each other.
   */
  @DefaultSerializer(JavaSerializer.class)
  record EpochStart(RoundStart state, int[] batchesPerRound, InetSocketAddress rendezvous) implements Serializable {}

  /**
   * An epoch's end state and sums over all workers, or, where {@code divergedRound} is not -1, the
   * round whose loss sum was not finite, and that sum.
   */
  @DefaultSerializer(JavaSerializer.class)
  record EpochOutcome(float[] parameters, float[] updaterState, double lossSum, long examples, int divergedRound)
      implements Serializable {}

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
  private record RoundTask(String fit, Broadcast<String> configuration, Broadcast<RoundStart> start, int threads)
      implements FlatMapFunction<Iterator<Batch>, RoundResult> {

    @Override
    public Iterator<RoundResult> call(Iterator<Batch> batches) {
      if (!batches.hasNext()) {
        return List.<RoundResult>of().iterator();
      }
      NativeThreads.limit(threads);
      int device = GpuBinding.bindTask().orElse(WorkerNetworks.NO_GPU);
      RoundStart from = start.value();
      // A round's partition number is its worker's (WorkerPartitions).
      MultiLayerNetwork network = WorkerNetworks.get(fit, TaskContext.getPartitionId(), device, () -> {
        MultiLayerNetwork fresh = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(configuration.value()));
        fresh.init();
        return fresh;
      });
      from.loadInto(network);
      RoundFit fitted = RoundFit.of(network, batches);
      INDArray state = network.getUpdater().getStateViewArray();
      return List.of(new RoundResult(NetworkState.toFloats(network.params()),
          state == null ? new float[0] : NetworkState.toFloats(state), 1, fitted.examples(), fitted.lossSum()))
          .iterator();
    }
  }
}
