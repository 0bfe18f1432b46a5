package io.neuralake.jobs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The PyTorch CPU runs of the bench, (d) one process and (d2) DistributedDataParallel over gloo on
 * two processes of one thread, by {@code jobs/src/main/python/torch_bench.py} under Debian's
 * {@code /usr/bin/python3} (package {@code python3-torch}). A run that cannot start says why
 * instead of giving figures.
 */
final class TorchBaseline {

  private static final Path SCRIPT = Path.of("jobs/src/main/python/torch_bench.py");
  private static final String PYTHON = "/usr/bin/python3";
  private static final long TIMEOUT_MINUTES = 30;
  private static final long GRACE_SECONDS = 30;

  private TorchBaseline() {}

  /**
   * The figures of one run of {@code network} (mlp or cnn) on {@code processes} processes of
   * {@code threads} threads, or a map with only {@code skipped} when it cannot run.
   */
  static Map<String, Object> run(String network, int processes, int threads, int rows, int epochs, int batchSize) {
    if (!Files.isRegularFile(SCRIPT)) {
      return skipped(SCRIPT + " is not here; run the bench from the repository root");
    }
    List<String> command = new ArrayList<>(List.of(PYTHON, SCRIPT.toString(), "--network", network,
        "--processes", String.valueOf(processes), "--threads", String.valueOf(threads), "--rows", String.valueOf(rows),
        "--epochs", String.valueOf(epochs), "--batch-size", String.valueOf(batchSize)));
    try {
      Path log = Files.createTempFile("neuralake-torch-bench", ".log");
      Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      try {
        String figures = awaitFigures(process, log);
        if (figures == null) {
          List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
          return skipped(process.isAlive() ? "PyTorch took more than " + TIMEOUT_MINUTES + " minutes"
              : "exit " + process.exitValue() + ": " + (lines.isEmpty() ? "" : lines.get(lines.size() - 1)));
        }
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("setup", "PyTorch CPU, " + processes + " process(es) x " + threads + " thread(s)"
            + (processes > 1 ? ", DistributedDataParallel over gloo" : ""));
        run.putAll(new ObjectMapper().readValue(figures, new TypeReference<Map<String, Object>>() {}));
        return run;
      } finally {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        Files.deleteIfExists(log);
      }
    } catch (IOException e) {
      return skipped("cannot run " + PYTHON + " (" + e.getMessage() + "); apt-get install python3-torch");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return skipped("interrupted");
    }
  }

  /**
   * The JSON line the script prints when its run is over, or null if it ends or times out without
   * one. Once the line is there the processes get a grace period to exit: a gloo process group can
   * hang on shutdown after the figures are out.
   */
  private static String awaitFigures(Process process, Path log) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(TIMEOUT_MINUTES);
    while (System.nanoTime() < deadline) {
      boolean ended = process.waitFor(1, TimeUnit.SECONDS);
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      String last = lines.isEmpty() ? "" : lines.get(lines.size() - 1).strip();
      if (last.startsWith("{") && last.endsWith("}")) {
        process.waitFor(GRACE_SECONDS, TimeUnit.SECONDS);
        return last;
      }
      if (ended) {
        return null;
      }
    }
    return null;
  }

  private static Map<String, Object> skipped(String reason) {
    return new LinkedHashMap<>(Map.of("skipped", reason));
  }
}
