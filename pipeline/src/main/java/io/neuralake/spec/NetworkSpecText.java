package io.neuralake.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The compact one-line form: layers separated by {@code ->}, e.g.
 * {@code conv(32, 3, padding=same) -> pool(max, 2) -> dense(128, relu) -> dropout(0.2)}.
 * Leading arguments go by position, the rest as {@code name=value}; activations default to relu.
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
      layers.add(LayerArguments.fromText(matcher.group(1), LayerArguments.split(matcher.group(2))));
    }
    return NetworkSpec.of(layers);
  }
}
