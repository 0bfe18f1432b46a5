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
import io.neuralake.data.BatchArrays;
import io.neuralake.data.ExampleTransform;
import io.neuralake.data.OffHeapFloats;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.RDD;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.Utils;
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
 * <p>With one worker and plain SGD this is exactly single-JVM training on the same batches. The
 * network may be one that Neuralake built from a spec, or any DL4J network handed in as a
 * {@link NetworkState}.
 */
public final class ParameterAveragingTrainer {

  private static final Logger LOG = LoggerFactory.getLogger(ParameterAveragingTrainer.class);

  private final TrainingPlan plan;
  private final Averaging averaging;
  private final SeededTransform exampleTransform;

  /** A trainer that follows {@code plan}. */
  public ParameterAveragingTrainer(TrainingPlan plan) {
    this(plan, Averaging.AMONG_WORKERS_WHERE_POSSIBLE, SeededTransform.NONE);
  }

  ParameterAveragingTrainer(TrainingPlan plan, Averaging averaging) {
    this(plan, averaging, SeededTransform.NONE);
  }

  private ParameterAveragingTrainer(TrainingPlan plan, Averaging averaging, SeededTransform exampleTransform) {
    this.plan = plan;
    this.averaging = averaging;
    this.exampleTransform = exampleTransform;
  }

  /**
   * This trainer, changing each training example by {@code transform} as its batch is fitted, afresh in
   * every epoch, as data augmentation does; the transform draws from a generator seeded by {@code seed},
   * the epoch and the batch's partition. Validation data is never transformed.
   */
  public ParameterAveragingTrainer transformingExamples(ExampleTransform transform, long seed) {
    return new ParameterAveragingTrainer(plan, averaging, new SeededTransform(transform, seed));
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

    /** Why the driver averages {@code workers}' rounds on {@code sc} now, or null where the workers can. */
    String whyOnTheDriver(SparkContext sc, int workers) {
      if (this == ON_THE_DRIVER) {
        return "averaging on the driver was asked for";
      }
      if (Utils.isDynamicAllocationEnabled(sc.conf())) {
        return "dynamic allocation is on, which barrier jobs do not support";
      }
      int slots = sc.maxNumConcurrentTasks(sc.resourceProfileManager().defaultResourceProfile());
      if (workers > slots) {
        return workers + " workers but " + slots + " task slots, so the workers cannot all run at once";
      }
      return null;
    }
  }

  /**
   * Trains a copy of {@code initial}; {@code initial} itself is not changed.
   *
   * @param initial the starting network (configuration, parameters and updater state): any
   *     {@code MultiLayerNetwork}, or a {@code ComputationGraph} of one input and one output
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
      configuration.destroy();
      // Blocking, so that the blocks are gone when the fit returns and no later removal races this one.
      cachedHere.forEach(rdd -> rdd.unpersist(true));
    }
  }

  /**
   * Drops the fit's networks in the driver and, unless its last epoch's workers dropped them already, on
   * the executors. Best effort: a fit that failed because its executors are gone still ends with its own
   * error.
   */
  private static void forgetNetworks(JavaSparkContext jsc, String fit, boolean droppedByWorkers) {
    WorkerNetworks.forget(fit);
    if (droppedByWorkers) {
      return;
    }
    try {
      WorkerNetworks.forgetOnExecutors(jsc.sc(), fit);
    } catch (RuntimeException e) {
      LOG.warn("could not drop the fit's networks on the executors; newer fits' networks push them out there", e);
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
    TrainableNetwork.Counters counters = TrainableNetwork.counters(initial.configurationJson());
    int workers = plan.workers();
    if (train.getNumPartitions() % workers != 0) {
      throw new IllegalArgumentException("the training batches have " + train.getNumPartitions()
          + " partitions, which do not split into rounds of " + workers + " workers; make them with "
          + "BatchMaker.batches(data, " + workers + ", batchesPerRound, ...)");
    }
    String[] executors = WorkerPartitions.executors(jsc.sc());
    int[] batchesPerRound = batchesPerRound(train, executors);
    if (java.util.Arrays.stream(batchesPerRound).sum() == 0) {
      throw new IllegalArgumentException("the training data is empty: there is nothing to fit");
    }
    warnIfResultsGoIndirect(jsc, 4L * (initial.parameters().length + initial.updaterState().length));
    int iteration = counters.iteration();
    int startEpoch = counters.epoch();
    float[] parameters = initial.parameters();
    float[] updater = initial.updaterState();

    // Why the driver averages, as last logged ("" before the first epoch, so that it is logged).
    String whyOnTheDriver = "";
    int attempts = jsc.sc().conf().getInt("spark.stage.maxConsecutiveAttempts", 4);
    List<EpochStats> epochs = new ArrayList<>();
    float[] bestParameters = null;
    float[] bestUpdater = null;
    double bestLoss = Double.POSITIVE_INFINITY;
    int sinceBest = 0;
    // Where the workers keep their networks: the executors of the epochs so far, while each was one barrier
    // job at its first attempt on the same executors; once one was not, they may be anywhere, and only a job
    // on every executor drops them.
    String[] placement = null;
    boolean scattered = false;
    boolean droppedByWorkers = false;
    try {
      for (int epoch = 1; epoch <= plan.epochs(); epoch++) {
        long start = System.nanoTime();
        RoundStart from = new RoundStart(parameters, updater, iteration, startEpoch + epoch - 1);
        EpochOutcome outcome = null;
        for (int attempt = 1; outcome == null; attempt++) {
          // Decided each epoch: executors come and go.
          executors = WorkerPartitions.executors(jsc.sc());
          String why = averaging.whyOnTheDriver(jsc.sc(), workers);
          if (!java.util.Objects.equals(why, whyOnTheDriver)) {
            LOG.info(why == null ? "the workers average among themselves, an epoch per barrier job"
                : "the driver averages each round: " + why);
            whyOnTheDriver = why;
          }
          boolean samePlacement = why == null && attempt == 1 && !scattered
              && (placement == null || Arrays.equals(placement, executors));
          boolean dropNetworks = samePlacement && epoch == plan.epochs();
          try {
            outcome = why == null
                ? epochAmongWorkers(jsc, fit, train, executors, from, batchesPerRound, configuration, dropNetworks)
                : DriverAveragedEpoch.run(jsc, fit, train, executors, from, batchesPerRound, configuration, plan,
                    exampleTransform);
            droppedByWorkers = dropNetworks;
            scattered = !samePlacement;
            placement = executors;
          } catch (Exception e) {
            if (attempt == attempts || !lostAWorker(e)) {
              throw e;
            }
            // Spark does not retry a failed barrier job. The lost executor's cached batches and shuffle
            // outputs are gone too: a plain job computes them again before the epoch restarts.
            LOG.warn("epoch {}: a worker's executor was lost; training the epoch again from its start (attempt {} of {})",
                epoch, attempt + 1, attempts);
            batchesPerRound(train, WorkerPartitions.executors(jsc.sc()));
          }
        }
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
              initial.configurationJson(), parameters, updater), metric);
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
    } finally {
      forgetNetworks(jsc, fit, droppedByWorkers);
    }
    if (bestParameters != null) {
      parameters = bestParameters;
      updater = bestUpdater;
    }
    String trained = TrainableNetwork.withCounters(initial.configurationJson(), iteration,
        startEpoch + epochs.size());
    return new TrainingResult(new NetworkState(trained, parameters, updater),
        new TrainingHistory(metric, epochs));
  }

  /**
   * How many batches each round's busiest worker has; computing them, it caches every batch
   * partition of {@code train}.
   */
  private int[] batchesPerRound(JavaRDD<Batch> train, String[] executors) {
    int[] batchesPerRound = new int[train.getNumPartitions() / plan.workers()];
    // Worker by worker, each one's rounds in order.
    List<Integer> counts = WorkerEpochs.computing(train.rdd(), plan.workers(), executors).toJavaRDD().map(batches -> {
      int count = 0;
      for (; batches.hasNext(); batches.next()) {
        count++;
      }
      return count;
    }).collect();
    for (int i = 0; i < counts.size(); i++) {
      int round = i % batchesPerRound.length;
      batchesPerRound[round] = Math.max(batchesPerRound[round], counts.get(i));
    }
    return batchesPerRound;
  }

  /** Whether a failed epoch job lost a worker: its executor, or a worker's connection to the others. */
  private static boolean lostAWorker(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      String message = String.valueOf(cause.getMessage());
      if (message.contains("ExecutorLostFailure") || message.contains(WorkerEpochTask.LOST_PEER)) {
        return true;
      }
    }
    return false;
  }

  /**
   * An epoch as one barrier job: each worker's task fits all its rounds and averages with the other
   * workers after each one (see {@link PeerGroup}), so rounds cost no job, broadcast or driver time.
   */
  private EpochOutcome epochAmongWorkers(JavaSparkContext jsc, String fit, JavaRDD<Batch> train, String[] executors,
                                         RoundStart from, int[] batchesPerRound, Broadcast<String> configuration,
                                         boolean dropNetworks) {
    Broadcast<EpochStart> start = null;
    try (Rendezvous rendezvous = new Rendezvous(jsc.sc().conf().get("spark.driver.host"), plan.workers(), fit)) {
      start = jsc.broadcast(new EpochStart(from, batchesPerRound, rendezvous.address(), dropNetworks));
      RDD<EpochOutcome> outcomes = WorkerEpochs.ofCached(train.rdd(), plan.workers(), executors).barrier().mapPartitions(
          new WorkerEpochTask(fit, configuration, start, exampleTransform), false,
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
                                    ValidationMetric metric) {
    Broadcast<NetworkState> network = jsc.broadcast(state.withoutUpdaterState());
    try {
      return data.mapPartitions((FlatMapFunction<Iterator<Batch>, Evaluation>) batches -> {
        if (!batches.hasNext()) {
          return List.<Evaluation>of().iterator();
        }
        NativeThreads.limitToTask();
        GpuBinding.bindTask();
        TrainableNetwork net = network.value().toTrainable();
        Evaluation sum = new Evaluation(0, 0, 0);
        BatchArrays arrays = new BatchArrays();
        while (batches.hasNext()) {
          Batch batch = batches.next();
          DataSet data1 = arrays.of(batch);
          double loss = net.score(data1) * batch.rows();
          double metricSum = metric.batchSum(net.output(data1.getFeatures()), data1.getLabels());
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
    void loadInto(TrainableNetwork network) {
      load(network, parameters, 0, updaterState, 0, iteration, epoch);
    }

    /**
     * Sets {@code network}'s parameters to those in {@code parameters} from {@code parametersFrom},
     * its updater state to that in {@code updaterState} from {@code updaterFrom}, and its counters.
     */
    static void load(TrainableNetwork network, float[] parameters, int parametersFrom, float[] updaterState,
                     int updaterFrom, int iteration, int epoch) {
      network.setCounters(iteration, epoch);
      OffHeapFloats.copy(parameters, parametersFrom, network.params());
      INDArray state = network.updaterState();
      if (state != null) {
        OffHeapFloats.copy(updaterState, updaterFrom, state);
      }
    }
  }

  /**
   * What every worker starts an epoch from, how many batches each round's busiest worker has, where
   * the workers find each other, and whether they drop the fit's networks at the epoch's end (its last).
   */
  @DefaultSerializer(JavaSerializer.class)
  record EpochStart(RoundStart state, int[] batchesPerRound, InetSocketAddress rendezvous, boolean dropNetworks)
      implements Serializable {}

  /**
   * An epoch's end state and sums over all workers, or, where {@code divergedRound} is not -1, the
   * round whose loss sum was not finite, and that sum.
   */
  @DefaultSerializer(JavaSerializer.class)
  record EpochOutcome(float[] parameters, float[] updaterState, double lossSum, long examples, int divergedRound)
      implements Serializable {}
}
