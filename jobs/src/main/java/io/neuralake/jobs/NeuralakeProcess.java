package io.neuralake.jobs;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.neuralake.estimators.NeuralNetClassificationModel;
import io.neuralake.testdata.LocalCluster;
import io.neuralake.train.EpochStats;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * One of the bench's Neuralake setups, {@code local[workers]} or a local-cluster of as many executor
 * JVMs, in a JVM of its own that makes a warm-up epoch and then one whole fit each time it is asked.
 * Both setups stay up side by side, so that the bench can take their fits in turns: the machine's
 * speed drifts by 10-30% over minutes, and fits taken in turns share that drift.
 */
final class NeuralakeProcess implements AutoCloseable {

  private static final String SETUP_OPTION = "neuralake-setup";
  private static final String PREFIX = "neuralake-process: ";
  private static final String READY = PREFIX + "ready";
  private static final String FIGURES = PREFIX + "figures ";
  private static final String ENDED = PREFIX + "ended, ";
  private static final long TIMEOUT_MINUTES = 30;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final String name;
  private final Writer requests;
  private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();

  private NeuralakeProcess(Process process, String name) {
    this.process = process;
    this.name = name;
    this.requests = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    Thread reader = new Thread(this::readReplies, "neuralake-bench-" + process.pid());
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Starts a setup in a fresh JVM with this JVM's flags and classpath and the bench's {@code options}:
   * a local-cluster of executors of {@code executorMemoryMb} each where {@code cluster}, else
   * {@code local[workers]}. Its log lines go to this process's output, after the setup's name.
   */
  static NeuralakeProcess start(Map<String, String> options, boolean cluster, int executorMemoryMb)
      throws IOException {
    List<String> command = BaselineProcess.freshJvm(NeuralakeProcess.class);
    options.forEach((key, value) -> {
      if (!key.equals("output") && !key.equals("executor-memory-mb")) {
        command.addAll(List.of("--" + key, value));
      }
    });
    command.addAll(List.of("--" + SETUP_OPTION, cluster ? "cluster" : "local",
        "--executor-memory-mb", String.valueOf(executorMemoryMb)));
    return new NeuralakeProcess(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start(),
        cluster ? "local-cluster" : "local[" + BenchSettings.of(options).workers() + "]");
  }

  /** Waits until the setup has made its warm-up epoch. */
  void awaitReady() throws IOException, InterruptedException {
    reply(READY);
  }

  /**
   * One whole fit's figures, timed in the setup's JVM, with its test accuracy, its peak memory and the
   * rows/s of its model's {@code transform} over the training rows.
   */
  Map<String, Object> fit() throws IOException, InterruptedException {
    requests.write("fit\n");
    requests.flush();
    return JSON.readValue(reply(FIGURES).substring(FIGURES.length()), new TypeReference<Map<String, Object>>() {});
  }

  /** Stops the setup: its JVM stops Spark and exits once its input ends. */
  @Override
  public void close() throws IOException, InterruptedException {
    requests.close();
    if (!process.waitFor(2, TimeUnit.MINUTES)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
  }

  /** The next line of the process's output that starts with {@code prefix}. */
  private String reply(String prefix) throws IOException, InterruptedException {
    String line = replies.poll(TIMEOUT_MINUTES, TimeUnit.MINUTES);
    if (line == null || !line.startsWith(prefix)) {
      throw new IOException("the bench's " + this + (line == null
          ? " gave no answer in " + TIMEOUT_MINUTES + " minutes" : " " + line.substring(PREFIX.length())));
    }
    return line;
  }

  /** Passes the process's log lines on to this process's output, and queues its replies. */
  private void readReplies() {
    try (BufferedReader lines = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (line.startsWith(READY) || line.startsWith(FIGURES)) {
          replies.add(line);
        } else {
          System.out.println(name + " | " + line);
        }
      }
      replies.add(ENDED + "exit " + process.waitFor());
    } catch (IOException | InterruptedException e) {
      replies.add(ENDED + e);
    }
  }

  @Override
  public String toString() {
    return "Neuralake process " + process.pid() + " (" + name + ")";
  }

  /**
   * The setup's JVM: starts the setup named by {@code --neuralake-setup}, makes the warm-up epoch,
   * then a whole fit per line of input, printing each one's figures, until its input ends.
   */
  public static void main(String[] args) throws Exception {
    Map<String, String> options = TrainJob.options(args);
    BenchSettings settings = BenchSettings.of(options);
    boolean cluster = options.get(SETUP_OPTION).equals("cluster");
    int executorMemoryMb = Integer.parseInt(options.get("executor-memory-mb"));
    String setup = cluster
        ? settings.workers() + " executor JVMs × 1 core × " + executorMemoryMb
            + " MB (local-cluster, host-local shuffle reads), " + settings.workers() + " workers, averaging every "
            + settings.averaging()
        : "local[" + settings.workers() + "], " + settings.workers() + " workers, averaging every "
            + settings.averaging();
    // Executors on one host read each other's shuffle files from disk, Spark's default everywhere but in
    // local-cluster mode, which turns it off to test fetching over the network.
    SparkSession spark = cluster
        ? LocalCluster.start(settings.workers(), executorMemoryMb, Map.of("spark.shuffle.readHostLocalDisk", "true"))
        : BenchJob.localSession(settings);
    try {
      Dataset<Row> train = settings.trainSplit(spark);
      Dataset<Row> test = BenchSettings.testSplit(spark);
      long rows = train.count();
      settings.classifier().setEpochs(1).fit(train);
      System.out.println(READY);
      BufferedReader requests = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      while (requests.readLine() != null) {
        System.out.println(FIGURES + JSON.writeValueAsString(fit(settings, train, test, rows, setup)));
      }
    } finally {
      if (cluster) {
        LocalCluster.stop(spark);
      } else {
        spark.stop();
      }
    }
  }

  private static Map<String, Object> fit(BenchSettings settings, Dataset<Row> train, Dataset<Row> test, long rows,
                                         String setup) throws Exception {
    PeakMemory.Measured<NeuralNetClassificationModel> fitted = PeakMemory.of(() -> settings.classifier().fit(train));
    double seconds = fitted.seconds();
    NeuralNetClassificationModel model = fitted.result();
    double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(model.transform(test));
    List<EpochStats> history = model.summary().epochs();
    Map<String, Object> figures = RunFigures.of(rows * settings.epochs() / seconds,
        history.subList(Math.min(1, history.size() - 1), history.size()).stream()
            .mapToDouble(EpochStats::samplesPerSecond).average().orElse(0), accuracy, setup);
    figures.put("peak_memory_mb", fitted.peakMb());
    figures.put("fit_seconds", seconds);
    figures.put("outside_epochs_seconds", seconds - history.stream().mapToDouble(EpochStats::seconds).sum());
    long scoring = System.nanoTime();
    model.transform(train).write().format("noop").mode("overwrite").save();
    figures.put("scoring_rows_per_second", rows / ((System.nanoTime() - scoring) / 1e9));
    return figures;
  }
}
