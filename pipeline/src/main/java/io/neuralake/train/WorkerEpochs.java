package io.neuralake.train;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

import io.neuralake.data.Batch;
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
 * by computing them where they are not, but it declares no dependency on them: a barrier stage may
 * not hold an RDD with another partition count, and the batches are cached before an epoch runs.
 */
final class WorkerEpochs extends RDD<Iterator<Batch>> {

  private final RDD<Batch> batches;
  private final int workers;
  private final String[] executors;

  @SuppressWarnings("unchecked")
  WorkerEpochs(RDD<Batch> batches, int workers, String[] executors) {
    super(batches.context(), JavaConverters.asScalaBuffer(List.<org.apache.spark.Dependency<?>>of()).toList(),
        ClassTag$.MODULE$.apply(Iterator.class));
    this.batches = batches;
    this.workers = workers;
    this.executors = executors;
  }

  @Override
  public Partition[] getPartitions() {
    Partition[] parents = batches.partitions();
    Partition[] partitions = new Partition[workers];
    for (int worker = 0; worker < workers; worker++) {
      Partition[] rounds = new Partition[parents.length / workers];
      for (int round = 0; round < rounds.length; round++) {
        rounds[round] = parents[round * workers + worker];
      }
      partitions[worker] = new WorkerRounds(worker, rounds);
    }
    return partitions;
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
