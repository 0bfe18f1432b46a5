package io.neuralake.jobs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The PyTorch CPU runs of the bench, (d) one process and (d2) DistributedDataParallel over gloo on
 * two processes of one thread, by {@code jobs/src/main/python/torch_bench.py} under Debian's
 * {@code /usr/bin/python3} (package {@code python3-torch}). A run that cannot start says why
 * instead of giving figures.
 */
final class TorchBaseline {

  private static final Path SCRIPT = Path.of("jobs/src/main/python/torch_bench.py");
  private static final String PYTHON = "/usr/bin/python3";

  private TorchBaseline() {}

  /**
   * The figures of one run of {@code network} (mlp or cnn) on {@code processes} processes of
   * {@code threads} threads, or a map with only {@code skipped} when it cannot run.
   */
  static Map<String, Object> run(String network, int processes, int threads, int rows, int epochs, int batchSize) {
    if (!Files.isRegularFile(SCRIPT)) {
      return BaselineProcess.skipped(SCRIPT + " is not here; run the bench from the repository root");
    }
    List<String> command = List.of(PYTHON, SCRIPT.toString(), "--network", network,
        "--processes", String.valueOf(processes), "--threads", String.valueOf(threads), "--rows", String.valueOf(rows),
        "--epochs", String.valueOf(epochs), "--batch-size", String.valueOf(batchSize));
    try {
      return BaselineProcess.figures(command, Map.of(), "PyTorch CPU, " + processes + " process(es) x " + threads
          + " thread(s)" + (processes > 1 ? ", DistributedDataParallel over gloo" : ""));
    } catch (IOException e) {
      return BaselineProcess.skipped("cannot run " + PYTHON + " (" + e.getMessage() + "); apt-get install python3-torch");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return BaselineProcess.skipped("interrupted");
    }
  }
}
