package io.neuralake.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.spark.Partition;
import org.apache.spark.rdd.PartitionCoalescer;
import org.apache.spark.rdd.PartitionGroup;
import org.apache.spark.rdd.RDD;
import org.apache.spark.scheduler.ExecutorCacheTaskLocation;
import org.apache.spark.scheduler.TaskLocation;
import scala.Option;
import scala.collection.JavaConverters;

/**
 * Coalesces partitions by the executor that caches them, so that each task reads blocks of its own
 * executor only. Spark's default coalescer knows hosts, not executors: where a host runs several
 * executors it reads about half the blocks over the network (measured on two executors: 1.3 to
 * 2.3 s to count 60k cached rows, against a few hundred milliseconds). Partitions cached nowhere
 * are grouped without a preference. Each executor's partitions are split into a share of the
 * groups proportional to their number.
 */
// Spark accepts Scala's Serializable only.
final class CachedPartitionGroups implements PartitionCoalescer, scala.Serializable {

  @Override
  public PartitionGroup[] coalesce(int maxPartitions, RDD<?> parent) {
    Map<String, List<Partition>> byExecutor = new TreeMap<>();
    Partition[] partitions = parent.partitions();
    for (Partition partition : partitions) {
      String executor = "";
      for (TaskLocation location : JavaConverters.seqAsJavaList(
          parent.context().getPreferredLocs(parent, partition.index()))) {
        if (location instanceof ExecutorCacheTaskLocation) {
          executor = location.toString();
          break;
        }
      }
      byExecutor.computeIfAbsent(executor, key -> new ArrayList<>()).add(partition);
    }
    List<PartitionGroup> groups = new ArrayList<>();
    byExecutor.forEach((executor, cached) -> {
      int count = (int) Math.min(cached.size(),
          Math.max(1, Math.round((double) maxPartitions * cached.size() / partitions.length)));
      for (int group = 0; group < count; group++) {
        PartitionGroup partitionGroup =
            new PartitionGroup(executor.isEmpty() ? Option.empty() : Option.apply(executor));
        for (Partition partition : cached.subList(cached.size() * group / count,
            cached.size() * (group + 1) / count)) {
          partitionGroup.partitions().$plus$eq(partition);
        }
        groups.add(partitionGroup);
      }
    });
    return groups.toArray(PartitionGroup[]::new);
  }
}
