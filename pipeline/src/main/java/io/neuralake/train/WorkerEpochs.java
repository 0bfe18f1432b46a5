package io.neuralake.train;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.IntStream;

import io.neuralake.data.Batch;
import org.apache.spark.NarrowDependency;
import org.apache.spark.Partition;
import org.apache.spark.TaskContext;
import org.apache.spark.rdd.RDD;
import scala.collection.JavaConverters;
import scala.collection.Seq;
import scala.reflect.ClassTag$;

/**
 * One partition per worker, holding that worker's rounds of an epoch: element {@code r} iterates
 * over its batches of round {@code r}, partition {@code r × workers + worker} of the batches laid
 * out by {@link io.neuralake.data.BatchMaker}. Each partition runs on its worker's executor, like
 * {@link WorkerPartitions}.
 *
 * <p>It reads the batches through {@link RDD#iterator}, so from the cache where they are cached and
 * by computing them where they are not.
 */
final class WorkerEpochs extends RDD<Iterator<Batch>> {

  private final RDD<Batch> batches;
  private final int workers;
  private final String[] executors;

  @SuppressWarnings("unchecked")
  private WorkerEpochs(RDD<Batch> batches, int workers, String[] executors,
                       List<org.apache.spark.Dependency<?>> dependencies) {
    super(batches.context(), JavaConverters.asScalaBuffer(dependencies).toList(),
        ClassTag$.MODULE$.apply(Iterator.class));
    this.batches = batches;
    this.workers = workers;
    this.executors = executors;
  }

  /**
   * The rounds of {@code batches}, which must be cached already: they are not declared as a dependency,
   * because a barrier stage may not hold an RDD with another partition count.
   */
  static WorkerEpochs ofCached(RDD<Batch> batches, int workers, String[] executors) {
    return new WorkerEpochs(batches, workers, executors, List.of());
  }

  /**
   * The rounds of {@code batches}, declared as a dependency so that a job over them first runs the stages
   * that {@code batches} need: a task per worker then computes (and caches, where they are persisted)
   * all its rounds, where Spark would otherwise run a task per round and worker.
   */
  static WorkerEpochs computing(RDD<Batch> batches, int workers, String[] executors) {
    return new WorkerEpochs(batches, workers, executors, List.of(new AllRounds(batches, workers)));
  }

  @Override
  public Partition[] getPartitions() {
    Partition[] parents = batches.partitions();
    Partition[] partitions = new Partition[workers];
    for (int worker = 0; worker < workers; worker++) {
      partitions[worker] = new WorkerRounds(worker,
          roundsOf(worker, parents.length, workers).mapToObj(round -> parents[round]).toArray(Partition[]::new));
    }
    return partitions;
  }

  /** Which of the batches' {@code partitions} are worker {@code worker}'s rounds, in round order. */
  private static IntStream roundsOf(int worker, int partitions, int workers) {
    return IntStream.range(0, partitions / workers).map(round -> round * workers + worker);
  }

  @Override
  public scala.collection.Iterator<Iterator<Batch>> compute(Partition partition, TaskContext context) {
    Partition[] rounds = ((WorkerRounds) partition).rounds;
    Iterator<Iterator<Batch>> byRound = new Iterator<>() {
      private int round;

      @Override
      public boolean hasNext() {
        return round < rounds.length;
      }

      @Override
      public Iterator<Batch> next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return JavaConverters.asJavaIterator(batches.iterator(rounds[round++], context));
      }
    };
    return JavaConverters.asScalaIterator(byRound);
  }

  @Override
  public Seq<String> getPreferredLocations(Partition partition) {
    return WorkerPartitions.executorOf(partition.index(), executors);
  }

  /** Worker {@code w}'s partition depends on its rounds' partitions of the batches. */
  private static final class AllRounds extends NarrowDependency<Batch> {

    private final int workers;
    private final int partitions;

    AllRounds(RDD<Batch> batches, int workers) {
      super(batches);
      this.workers = workers;
      this.partitions = batches.partitions().length;
    }

    @Override
    public Seq<Object> getParents(int worker) {
      List<Object> rounds = roundsOf(worker, partitions, workers).<Object>mapToObj(Integer::valueOf).toList();
      return JavaConverters.asScalaBuffer(rounds).toList();
    }
  }

  /** Worker {@code index}'s partitions of the batches, one per round. */
  private static final class WorkerRounds implements Partition {

    private final int index;
    private final Partition[] rounds;

    WorkerRounds(int index, Partition[] rounds) {
      this.index = index;
      this.rounds = rounds;
    }

    @Override
    public int index() {
      return index;
    }
  }
}
