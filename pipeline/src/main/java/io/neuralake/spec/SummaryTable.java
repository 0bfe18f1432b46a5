package io.neuralake.spec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** Renders a Keras-like layer table: name, output shape and parameter count. */
final class SummaryTable {

  private record Row(String layer, String shape, long parameters) {}

  private final List<Row> rows = new ArrayList<>();

  SummaryTable(long[] inputShape) {
    rows.add(new Row("input", shape(inputShape), 0));
  }

  void add(String layer, long[] outputShape, long parameters) {
    rows.add(new Row(layer, shape(outputShape), parameters));
  }

  String render() {
    int nameWidth = Math.max("Layer".length(), rows.stream().mapToInt(r -> r.layer().length()).max().orElse(0));
    int shapeWidth = Math.max("Output shape".length(), rows.stream().mapToInt(r -> r.shape().length()).max().orElse(0));
    String format = "%-" + nameWidth + "s  %-" + shapeWidth + "s  %,12d%n";
    String rule = "=".repeat(nameWidth + shapeWidth + 16) + System.lineSeparator();
    StringBuilder out = new StringBuilder();
    out.append(String.format("%-" + nameWidth + "s  %-" + shapeWidth + "s  %12s%n", "Layer", "Output shape", "Params"));
    out.append(rule);
    for (Row row : rows) {
      out.append(String.format(format, row.layer(), row.shape(), row.parameters()));
    }
    out.append(rule);
    out.append(String.format("Total params: %,d%n", rows.stream().mapToLong(Row::parameters).sum()));
    return out.toString();
  }

  private static String shape(long[] shape) {
    return "(batch, " + Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining(", ")) + ")";
  }
}
