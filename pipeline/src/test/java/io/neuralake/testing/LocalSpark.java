package io.neuralake.testing;

import org.apache.spark.sql.SparkSession;

/** The test JVM's shared {@code local[2]} SparkSession. */
public final class LocalSpark {

  private LocalSpark() {}

  /** The session, started on first use and stopped when the JVM exits. */
  public static synchronized SparkSession session() {
    return SparkSession.builder()
        .master("local[2]")
        .appName("neuralake-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.task.maxDirectResultSize", "64m")
        .getOrCreate();
  }
}
