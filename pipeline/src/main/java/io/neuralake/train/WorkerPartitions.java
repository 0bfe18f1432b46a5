package io.neuralake.train;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import io.neuralake.data.Batch;
import org.apache.spark.NarrowDependency;
import org.apache.spark.Partition;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.rdd.RDD;
import org.apache.spark.storage.BlockManagerId;
import scala.Tuple2;
import scala.collection.JavaConverters;
import scala.collection.Seq;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * Partitions of training batches laid out as {@code round × workers + worker} (see
 * {@link io.neuralake.data.BatchMaker}), each run on its worker's executor: worker {@code w} prefers
 * executor {@code w mod executors}, as in {@link WorkerEpochs}, whose job first computes the batches,
 * so that a worker's batches are cached where its rounds run and no round waits out Spark's locality
 * delay for an executor busy with another worker's task. Where Spark names no executors (local mode) it
 * only selects partitions.
 */
final class WorkerPartitions extends RDD<Batch> {

  private static final ClassTag<Batch> BATCH = ClassTag$.MODULE$.apply(Batch.class);

  private final RDD<Batch> batches;
  private final int[] selected;
  private final int workers;
  private final String[] executors;

  private WorkerPartitions(RDD<Batch> batches, int[] selected, int workers, String[] executors) {
    super(batches.context(), JavaConverters.asScalaBuffer(List.<org.apache.spark.Dependency<?>>of(
        new Selection(batches, selected))).toList(), BATCH);
    this.batches = batches;
    this.selected = selected;
    this.workers = workers;
    this.executors = executors;
  }

  /** The partitions of {@code round}; partition {@code worker} of the result is that worker's. */
  static JavaRDD<Batch> round(JavaRDD<Batch> batches, int round, int workers, String[] executors) {
    int[] selected = IntStream.range(round * workers, (round + 1) * workers).toArray();
    return new JavaRDD<>(new WorkerPartitions(batches.rdd(), selected, workers, executors), BATCH);
  }

  /** The executors of {@code sc} as task locations, sorted; none in local mode. */
  static String[] executors(SparkContext sc) {
    List<String> locations = new ArrayList<>();
    for (BlockManagerId id : JavaConverters.asJavaCollection(
        SparkEnv.get().blockManager().master().getMemoryStatus().keys())) {
      if (!id.isDriver()) {
        locations.add("executor_" + id.host() + "_" + id.executorId());
      }
    }
    return locations.stream().sorted().toArray(String[]::new);
  }

  @Override
  public Partition[] getPartitions() {
    Partition[] parents = batches.partitions();
    Partition[] partitions = new Partition[selected.length];
    for (int i = 0; i < selected.length; i++) {
      partitions[i] = new Selected(i, parents[selected[i]]);
    }
    return partitions;
  }

  @Override
  public scala.collection.Iterator<Batch> compute(Partition partition, TaskContext context) {
    return batches.iterator(((Selected) partition).parent, context);
  }

  @Override
  public Seq<String> getPreferredLocations(Partition partition) {
    return executorOf(selected[partition.index()] % workers, executors);
  }

  /** One element per executor, its location name, in a partition of its own that prefers that executor. */
  static JavaRDD<String> onePerExecutor(SparkContext sc, String[] executors) {
    List<Tuple2<String, Seq<String>>> elements = IntStream.range(0, executors.length)
        .mapToObj(executor -> new Tuple2<>(executors[executor], executorOf(executor, executors))).toList();
    return sc.makeRDD(JavaConverters.asScalaBuffer(elements).toSeq(), ClassTag$.MODULE$.apply(String.class))
        .toJavaRDD();
  }

  /** Where {@code worker}'s tasks run: executor {@code worker mod executors}, or anywhere without executors. */
  static Seq<String> executorOf(int worker, String[] executors) {
    List<String> preferred = executors.length == 0 ? List.of() : List.of(executors[worker % executors.length]);
    return JavaConverters.asScalaBuffer(preferred).toList();
  }

  /** Partition {@code index} here, {@code parent} in the batches. */
  private static final class Selected implements Partition {

    private final int index;
    private final Partition parent;

    Selected(int index, Partition parent) {
      this.index = index;
      this.parent = parent;
    }

    @Override
    public int index() {
      return index;
    }
  }

  /** Partition {@code i} depends on the batches' partition {@code selected[i]} alone. */
  private static final class Selection extends NarrowDependency<Batch> {

    private final int[] selected;

    Selection(RDD<Batch> batches, int[] selected) {
      super(batches);
      this.selected = selected;
    }

    @Override
    public Seq<Object> getParents(int partitionId) {
      return JavaConverters.asScalaBuffer(List.<Object>of(selected[partitionId])).toList();
    }
  }
}
