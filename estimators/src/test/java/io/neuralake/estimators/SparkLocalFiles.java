package io.neuralake.estimators;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;

import org.apache.spark.SparkEnv;

/** The files in Spark's local directories (shuffle outputs, blocks on disk) of the JVM that asks. */
final class SparkLocalFiles {

  private SparkLocalFiles() {}

  /** The files under this JVM's Spark local directories: the driver's, or an executor's where a task calls it. */
  static Set<String> list() {
    Set<String> files = new HashSet<>();
    for (File directory : SparkEnv.get().blockManager().diskBlockManager().localDirs()) {
      try (Stream<Path> walk = Files.walk(directory.toPath())) {
        walk.filter(Files::isRegularFile).forEach(file -> files.add(file.toString()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return files;
  }
}
