package io.neuralake.testdata;

import java.io.File;

import org.apache.spark.sql.SparkSession;

/**
 * A real multi-JVM Spark cluster on this machine, for tests and benchmarks:
 * {@code local-cluster[workers, 1 core, memory]} starts a master, workers and one executor JVM per
 * worker. Executors get the classpath and the Java 17 flags of this JVM.
 */
public final class LocalCluster {

  private LocalCluster() {}

  /** Stops any session of this JVM and starts a cluster session with {@code executors} executor JVMs. */
  public static SparkSession start(int executors, int memoryMb) {
    return start(executors, memoryMb, java.util.Map.of());
  }

  /** As {@link #start(int, int)}, with {@code conf} added to the session's configuration. */
  public static SparkSession start(int executors, int memoryMb, java.util.Map<String, String> conf) {
    SparkSession.getDefaultSession().foreach(session -> {
      session.stop();
      return null;
    });
    SparkSession.clearActiveSession();
    SparkSession.clearDefaultSession();
    // The driver's Java 17, JavaCPP and garbage collector flags (pom.xml) go to the executors too.
    String flags = String.join(" ", java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()
        .stream().filter(arg -> arg.startsWith("--add-opens") || arg.startsWith("-Dorg.bytedeco.javacpp.")
            || arg.matches("-XX:\\+Use\\w+GC")).toList());
    // The in-process workers take their Spark home from these system properties (else from
    // SPARK_HOME or the working directory), not from the conf.
    System.setProperty("spark.testing", "true");
    System.setProperty("spark.test.home", fakeSparkHome());
    SparkSession spark = SparkSession.builder()
        .master("local-cluster[" + executors + ",1," + memoryMb + "]")
        .appName("neuralake-local-cluster")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.executor.memory", memoryMb + "m")
        .config("spark.executor.extraClassPath", System.getProperty("java.class.path"))
        .config("spark.executor.extraJavaOptions", flags)
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.task.maxDirectResultSize", "64m")
        .config(new org.apache.spark.SparkConf().setAll(scala.collection.JavaConverters.mapAsScalaMap(conf)))
        .getOrCreate();
    awaitExecutors(spark, executors);
    return spark;
  }

  /** Waits until {@code executors} executors have registered, so that a first job spreads over all of them. */
  private static void awaitExecutors(SparkSession spark, int executors) {
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (spark.sparkContext().getExecutorIds().size() < executors) {
      if (System.nanoTime() > deadline) {
        spark.stop();
        throw new IllegalStateException("only " + spark.sparkContext().getExecutorIds().size() + " of " + executors
            + " executors registered within 2 minutes; see the worker logs under " + fakeSparkHome());
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for executors", e);
      }
    }
  }

  /**
   * Workers launch executors from a Spark home: Spark's launcher needs a {@code jars} folder and a
   * Scala build marker there. The classes themselves come from {@code spark.executor.extraClassPath}.
   */
  private static String fakeSparkHome() {
    File home = new File(System.getProperty("java.io.tmpdir"), "neuralake-spark-home");
    for (String dir : new String[] {"jars", "launcher/target/scala-2.12"}) {
      File folder = new File(home, dir);
      if (!folder.isDirectory() && !folder.mkdirs()) {
        throw new IllegalStateException("cannot create " + folder);
      }
    }
    return home.getAbsolutePath();
  }

  /** Stops the cluster session, so that a local one can start again. */
  public static void stop(SparkSession spark) {
    spark.stop();
    System.clearProperty("spark.testing");
    SparkSession.clearActiveSession();
    SparkSession.clearDefaultSession();
  }
}
