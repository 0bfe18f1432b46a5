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
  private static final long TIMEOUT_MINUTES = 60;

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
      try {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
          process.destroyForcibly();
          return skipped("PyTorch took more than " + TIMEOUT_MINUTES + " minutes");
        }
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        String last = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        if (process.exitValue() != 0 || !last.startsWith("{")) {
          return skipped("exit " + process.exitValue() + ": " + last);
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("setup", "PyTorch CPU, " + processes + " process(es) x " + threads + " thread(s)"
            + (processes > 1 ? ", DistributedDataParallel over gloo" : ""));
        figures.putAll(new ObjectMapper().readValue(last, new TypeReference<Map<String, Object>>() {}));
        return figures;
      } finally {
        Files.deleteIfExists(log);
      }
    } catch (IOException e) {
      return skipped("cannot run " + PYTHON + " (" + e.getMessage() + "); apt-get install python3-torch");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return skipped("interrupted");
    }
  }

  private static Map<String, Object> skipped(String reason) {
    return new LinkedHashMap<>(Map.of("skipped", reason));
  }
}
