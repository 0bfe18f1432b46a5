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
 * A bench baseline run as a process of its own, which prints its figures as one JSON object on its
 * last line: PyTorch's script, or a fresh JVM for plain DL4J.
 */
final class BaselineProcess {

  private static final long TIMEOUT_MINUTES = 30;
  private static final long GRACE_SECONDS = 30;

  private BaselineProcess() {}

  /**
   * The figures {@code command} prints, run with {@code environment} added to this process's, under
   * {@code setup}, or a map with only {@code skipped} when it ends or runs out of time without them.
   *
   * @throws IOException when the command cannot start
   */
  static Map<String, Object> figures(List<String> command, Map<String, String> environment, String setup)
      throws IOException, InterruptedException {
    Path log = Files.createTempFile("neuralake-baseline", ".log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(environment);
    Process process = builder.start();
    try {
      String figures = awaitFigures(process, log);
      if (figures == null) {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return skipped(process.isAlive() ? "it took more than " + TIMEOUT_MINUTES + " minutes"
            : "exit " + process.exitValue() + ": " + (lines.isEmpty() ? "" : lines.get(lines.size() - 1)));
      }
      Map<String, Object> run = new LinkedHashMap<>();
      run.put("setup", setup);
      run.putAll(new ObjectMapper().readValue(figures, new TypeReference<Map<String, Object>>() {}));
      return run;
    } finally {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      Files.deleteIfExists(log);
    }
  }

  /** The command that runs {@code main} in a fresh JVM with this JVM's flags and classpath. */
  static List<String> freshJvm(Class<?> main) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
    return command;
  }

  /** A run that did not give figures, and why. */
  static Map<String, Object> skipped(String reason) {
    return new LinkedHashMap<>(Map.of("skipped", reason));
  }

  /**
   * The JSON line the process prints when its run is over, or null if it ends or times out without
   * one. Once the line is there the process gets a grace period to exit: a gloo process group can
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
}
