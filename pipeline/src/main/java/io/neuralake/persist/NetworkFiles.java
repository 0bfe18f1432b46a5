package io.neuralake.persist;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.neuralake.train.EpochStats;
import io.neuralake.train.NetworkState;
import io.neuralake.train.TrainingHistory;
import io.neuralake.train.ValidationMetric;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumException;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Neuralake's network format, on any Hadoop filesystem: {@code network.json} (the DL4J
 * configuration), {@code parameters.bin} and {@code updater.bin} (magic, count, little-endian
 * float32 values), {@code history.json} and {@code info.json} (the caller's facts about the model:
 * sizes, provenance). Nothing is Java-deserialized when reading.
 */
public final class NetworkFiles {

  private static final int MAGIC = 0x4E4C4B31; // "NLK1"
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private NetworkFiles() {}

  /** Writes a network and its history into {@code dir}, which must not exist yet. */
  public static void write(NetworkState network, TrainingHistory history, Map<String, Object> info, Path dir,
                           Configuration conf) throws IOException {
    FileSystem fs = dir.getFileSystem(conf);
    if (!fs.mkdirs(dir)) {
      throw new IOException("cannot create " + dir);
    }
    writeText(fs, new Path(dir, "network.json"), network.configurationJson());
    writeFloats(fs, new Path(dir, "parameters.bin"), network.parameters());
    writeFloats(fs, new Path(dir, "updater.bin"), network.updaterState());
    writeText(fs, new Path(dir, "history.json"), historyJson(history));
    writeText(fs, new Path(dir, "info.json"), MAPPER.writeValueAsString(info));
  }

  /** Reads the info written by {@link #write}. */
  public static JsonNode readInfo(Path dir, Configuration conf) throws IOException {
    return MAPPER.readTree(readText(dir.getFileSystem(conf), new Path(dir, "info.json")));
  }

  /** Reads the network written by {@link #write}. */
  public static NetworkState readNetwork(Path dir, Configuration conf) throws IOException {
    FileSystem fs = dir.getFileSystem(conf);
    return new NetworkState(readText(fs, new Path(dir, "network.json")),
        readFloats(fs, new Path(dir, "parameters.bin")), readFloats(fs, new Path(dir, "updater.bin")));
  }

  /** Reads the history written by {@link #write}. */
  public static TrainingHistory readHistory(Path dir, Configuration conf) throws IOException {
    FileSystem fs = dir.getFileSystem(conf);
    Path file = new Path(dir, "history.json");
    JsonNode root = MAPPER.readTree(readText(fs, file));
    List<EpochStats> epochs = new ArrayList<>();
    for (JsonNode e : root.get("epochs")) {
      epochs.add(new EpochStats(e.get("epoch").asInt(), number(e, "train_loss"), number(e, "validation_loss"),
          number(e, "validation_metric"), number(e, "seconds"), number(e, "samples_per_second")));
    }
    return new TrainingHistory(ValidationMetric.valueOf(root.get("metric").asText()), epochs);
  }

  private static double number(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? Double.NaN : value.asDouble();
  }

  private static String historyJson(TrainingHistory history) throws IOException {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("metric", history.metric().name());
    ArrayNode epochs = root.putArray("epochs");
    for (EpochStats e : history.epochs()) {
      ObjectNode node = epochs.addObject().put("epoch", e.epoch());
      putNumber(node, "train_loss", e.trainLoss());
      putNumber(node, "validation_loss", e.validationLoss());
      putNumber(node, "validation_metric", e.validationMetric());
      putNumber(node, "seconds", e.seconds());
      putNumber(node, "samples_per_second", e.samplesPerSecond());
    }
    return MAPPER.writeValueAsString(root);
  }

  private static void putNumber(ObjectNode node, String field, double value) {
    if (Double.isFinite(value)) {
      node.put(field, value);
    } else {
      node.putNull(field);
    }
  }

  private static void writeText(FileSystem fs, Path file, String text) throws IOException {
    try (OutputStream out = fs.create(file, false)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  private static String readText(FileSystem fs, Path file) throws IOException {
    try (InputStream in = open(fs, file)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static void writeFloats(FileSystem fs, Path file, float[] values) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    buffer.asFloatBuffer().put(values);
    try (DataOutputStream out = new DataOutputStream(fs.create(file, false))) {
      out.writeInt(MAGIC);
      out.writeInt(values.length);
      out.write(buffer.array());
    }
  }

  private static float[] readFloats(FileSystem fs, Path file) throws IOException {
    long size = fs.getFileStatus(file).getLen();
    try (DataInputStream in = new DataInputStream(open(fs, file))) {
      int magic = in.readInt();
      if (magic != MAGIC) {
        throw new IOException(file + " is not a Neuralake array file (bad magic " + Integer.toHexString(magic) + ")");
      }
      int count = in.readInt();
      if (count < 0 || 8L + (long) count * Float.BYTES != size) {
        throw new IOException(file + " is truncated or corrupt: it declares " + count
            + " floats but holds " + (size - 8) + " bytes of data");
      }
      byte[] bytes = new byte[count * Float.BYTES];
      in.readFully(bytes);
      float[] values = new float[count];
      ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
      return values;
    } catch (EOFException | ChecksumException e) {
      throw new IOException(file + " is truncated or corrupt: " + e.getMessage(), e);
    }
  }

  private static FSDataInputStream open(FileSystem fs, Path file) throws IOException {
    if (!fs.exists(file)) {
      throw new IOException("model file " + file + " is missing: the model directory is incomplete");
    }
    return fs.open(file);
  }
}
