package io.neuralake.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The compact one-line form: layers separated by {@code ->}, e.g.
 * {@code dense(256, relu) -> dropout(0.2) -> dense(128, tanh)}. A dense layer's activation
 * defaults to relu.
 */
final class NetworkSpecText {

  private static final Pattern LAYER = Pattern.compile("\\s*([a-zA-Z_]+)\\s*\\(([^)]*)\\)\\s*");

  private NetworkSpecText() {}

  static NetworkSpec read(String text) {
    List<LayerSpec> layers = new ArrayList<>();
    if (text.isBlank()) {
      return NetworkSpec.of(layers);
    }
    for (String part : text.split("->", -1)) {
      Matcher matcher = LAYER.matcher(part);
      if (!matcher.matches()) {
        throw new IllegalArgumentException("cannot read layer '" + part.strip() + "' in network '" + text
            + "'; write layers as name(arguments) separated by '->', e.g. dense(128, relu) -> dropout(0.2)");
      }
      layers.add(layer(matcher.group(1), arguments(matcher.group(2)), text));
    }
    return NetworkSpec.of(layers);
  }

  private static LayerSpec layer(String kind, List<String> args, String text) {
    try {
      return switch (kind.toLowerCase()) {
        case "dense" -> {
          expectArguments(kind, args, 1, 2);
          yield new DenseSpec(Integer.parseInt(args.get(0)),
              args.size() > 1 ? Activation.parse(args.get(1)) : Activation.RELU);
        }
        case "dropout" -> {
          expectArguments(kind, args, 1, 1);
          yield new DropoutSpec(Double.parseDouble(args.get(0)));
        }
        default -> throw new IllegalArgumentException("unknown layer '" + kind + "'; known layers: dense, dropout");
      };
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("layer " + kind + args + " in network '" + text
          + "' has a number that cannot be read: " + e.getMessage(), e);
    }
  }

  private static void expectArguments(String kind, List<String> args, int min, int max) {
    if (args.size() < min || args.size() > max) {
      throw new IllegalArgumentException(kind + " takes " + (min == max ? min : min + " to " + max)
          + " arguments, got " + args.size() + ": " + args);
    }
  }

  private static List<String> arguments(String inside) {
    List<String> args = new ArrayList<>();
    if (!inside.isBlank()) {
      for (String arg : inside.split(",")) {
        args.add(arg.strip());
      }
    }
    return args;
  }
}
