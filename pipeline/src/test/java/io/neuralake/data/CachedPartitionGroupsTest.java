package io.neuralake.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import io.neuralake.testing.LocalSpark;
import org.apache.spark.Partition;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.PartitionGroup;
import org.junit.jupiter.api.Test;
import scala.collection.JavaConverters;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;

class CachedPartitionGroupsTest {

  /** Computes a partition, which caches it. */
  private static final class Size extends AbstractFunction1<scala.collection.Iterator<Integer>, Object>
      implements Serializable {
    @Override
    public Object apply(scala.collection.Iterator<Integer> rows) {
      return rows.size();
    }
  }

  @Test
  void groupsHoldPartitionsCachedOnOneExecutorOrCachedNowhere() {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(LocalSpark.session().sparkContext());
    JavaRDD<Integer> numbers = jsc.parallelize(IntStream.range(0, 600).boxed().toList(), 6).cache();
    try {
      // Partitions 0 to 2 are cached on the driver's executor (local mode), 3 to 5 nowhere.
      jsc.sc().runJob(numbers.rdd(), new Size(), JavaConverters.asScalaBuffer(List.<Object>of(0, 1, 2)).toSeq(),
          ClassTag$.MODULE$.Any());
      // Spark's scheduler keeps the cache locations it looked up until the next job starts.
      jsc.parallelize(List.of(1)).count();

      PartitionGroup[] groups = new CachedPartitionGroups().coalesce(4, numbers.rdd());

      List<Integer> seen = new ArrayList<>();
      int cachedGroups = 0;
      for (PartitionGroup group : groups) {
        List<Integer> members = JavaConverters.seqAsJavaList(group.partitions()).stream().map(Partition::index).toList();
        assertTrue(!members.isEmpty(), "no empty groups");
        boolean cached = group.prefLoc().isDefined();
        cachedGroups += cached ? 1 : 0;
        assertTrue(members.stream().allMatch(index -> (index < 3) == cached),
            "group " + members + " mixes cached and uncached partitions (preferred location " + group.prefLoc() + ")");
        if (cached) {
          assertTrue(group.prefLoc().get().startsWith("executor_"), group.prefLoc().get());
        }
        seen.addAll(members);
      }
      assertEquals(2, cachedGroups, "half of the 4 groups for the half of the partitions that is cached");
      assertEquals(IntStream.range(0, 6).boxed().toList(), seen.stream().sorted().toList(), "each partition once");
    } finally {
      numbers.unpersist(true);
    }
  }
}
