package io.neuralake.persist;

import java.io.IOException;
import java.util.UUID;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Writes a directory atomically: everything goes into a hidden sibling, which is renamed onto the
 * target at the end. A failed write leaves no target and no temporary directory.
 */
public final class AtomicDirectory {

  /** Writes the contents of a directory that does not exist yet. */
  @FunctionalInterface
  public interface Writer {
    void write(Path dir) throws IOException;
  }

  private AtomicDirectory() {}

  /** Runs {@code writer} on a temporary directory and renames it to {@code target}. */
  public static void write(Path target, Configuration conf, Writer writer) throws IOException {
    FileSystem fs = target.getFileSystem(conf);
    Path temporary = new Path(target.getParent(), "." + target.getName() + ".tmp-" + UUID.randomUUID());
    boolean renamed = false;
    try {
      writer.write(temporary);
      if (fs.exists(target)) {
        throw new IOException(target + " already exists; save with overwrite() or choose another path");
      }
      renamed = fs.rename(temporary, target);
      if (!renamed) {
        throw new IOException("cannot rename " + temporary + " to " + target);
      }
    } finally {
      if (!renamed) {
        fs.delete(temporary, true);
      }
    }
  }
}
