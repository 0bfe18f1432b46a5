package io.neuralake.spec;

import io.neuralake.layers.RecurrentCell;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one place that turns a layer kind and its arguments into a {@link LayerSpec}, for both text
 * forms: the compact form gives leading arguments by position ({@code conv(32, 3, padding=same)}),
 * JSON gives them all by name.
 */
final class LayerArguments {

  /** Each kind's argument names, in positional order. */
  private static final Map<String, List<String>> NAMES = Map.ofEntries(
      Map.entry("rnn", List.of("units", "bidirectional", "sequences", "tbptt")),
      Map.entry("lstm", List.of("units", "bidirectional", "sequences", "tbptt")),
      Map.entry("gru", List.of("units", "bidirectional", "sequences", "tbptt")),
      Map.entry("laststep", List.of()),
      Map.entry("repeat", List.of("times")),
      Map.entry("attention", List.of("heads", "size")),
      Map.entry("transformer", List.of("heads", "ff")),
      Map.entry("posenc", List.of("encoding")),
      Map.entry("dense", List.of("units", "activation")),
      Map.entry("dropout", List.of("rate")),
      Map.entry("conv", List.of("filters", "kernel", "stride", "padding", "activation")),
      Map.entry("pool", List.of("pooling", "kernel", "stride", "padding")),
      Map.entry("globalpool", List.of("pooling")),
      Map.entry("batchnorm", List.of()),
      Map.entry("deconv", List.of("filters", "kernel", "stride", "padding", "activation")),
      Map.entry("upsample", List.of("size")));

  private final String kind;
  private final Map<String, String> values = new LinkedHashMap<>();

  private LayerArguments(String kind) {
    this.kind = kind;
    if (!NAMES.containsKey(kind)) {
      throw new IllegalArgumentException("unknown layer '" + kind + "'; known layers: "
          + String.join(", ", new java.util.TreeSet<>(NAMES.keySet())));
    }
  }

  /** A layer from positional arguments followed by {@code name=value} ones. */
  static LayerSpec fromText(String kind, List<String> arguments) {
    LayerArguments args = new LayerArguments(kind.toLowerCase());
    List<String> names = NAMES.get(args.kind);
    int position = 0;
    for (String argument : arguments) {
      int equals = argument.indexOf('=');
      if (equals >= 0) {
        args.put(argument.substring(0, equals).strip(), argument.substring(equals + 1).strip());
        continue;
      }
      // A bare activation name may stand anywhere after the sizes, as in dense(64, tanh).
      if (position > 0 && names.contains("activation") && isActivation(argument)) {
        args.put("activation", argument);
        continue;
      }
      while (position < names.size() && args.values.containsKey(names.get(position))) {
        position++;
      }
      if (position >= names.size()) {
        throw new IllegalArgumentException(kind + " takes at most " + names.size() + " arguments " + names
            + ", got " + arguments);
      }
      args.put(names.get(position++), argument);
    }
    return args.build();
  }

  /** A layer from named arguments. */
  static LayerSpec fromNamed(String kind, Map<String, String> named) {
    LayerArguments args = new LayerArguments(kind.toLowerCase());
    named.forEach(args::put);
    return args.build();
  }

  private static boolean isActivation(String text) {
    try {
      Activation.parse(text);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private void put(String name, String value) {
    if (!NAMES.get(kind).contains(name)) {
      throw new IllegalArgumentException(kind + " has no argument '" + name + "'; its arguments are " + NAMES.get(kind));
    }
    values.put(name, value);
  }

  private LayerSpec build() {
    try {
      return switch (kind) {
        case "dense" -> new DenseSpec(integer("units"), activation());
        case "dropout" -> new DropoutSpec(Double.parseDouble(required("rate")));
        case "conv" -> new ConvSpec(integer("filters"), integer("kernel"), integer("stride", 1), padding(), activation());
        case "pool" -> new PoolSpec(poolType(), integer("kernel"), integer("stride", integer("kernel")), padding());
        case "globalpool" -> new GlobalPoolSpec(poolType());
        case "batchnorm" -> new BatchNormSpec();
        case "deconv" -> new DeconvSpec(integer("filters"), integer("kernel"), integer("stride", 1), padding(),
            activation());
        case "upsample" -> new UpsampleSpec(integer("size"));
        case "rnn", "lstm", "gru" -> new RecurrentSpec(RecurrentCell.valueOf(kind.toUpperCase()), integer("units"),
            bool("bidirectional"), bool("sequences"), integer("tbptt", 0));
        case "laststep" -> new LastStepSpec();
        case "repeat" -> new RepeatSpec(integer("times"));
        case "attention" -> new AttentionSpec(integer("heads"), integer("size"));
        case "transformer" -> new TransformerSpec(integer("heads"), integer("ff"));
        case "posenc" -> new PosEncSpec(encoding());
        default -> throw new IllegalStateException(kind);
      };
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(kind + values + " has a number that cannot be read: " + e.getMessage(), e);
    }
  }

  private String required(String name) {
    String value = values.get(name);
    if (value == null) {
      throw new IllegalArgumentException(kind + " lacks the argument '" + name + "'; its arguments are "
          + NAMES.get(kind));
    }
    return value;
  }

  private int integer(String name) {
    return Integer.parseInt(required(name));
  }

  private int integer(String name, int fallback) {
    return values.containsKey(name) ? Integer.parseInt(values.get(name)) : fallback;
  }

  private boolean encoding() {
    String encoding = required("encoding").toLowerCase();
    if (!encoding.equals("sinusoidal") && !encoding.equals("learned")) {
      throw new IllegalArgumentException("posenc encoding must be sinusoidal or learned, got '" + encoding + "'");
    }
    return encoding.equals("learned");
  }

  private boolean bool(String name) {
    String value = values.getOrDefault(name, "false").toLowerCase();
    if (!value.equals("true") && !value.equals("false")) {
      throw new IllegalArgumentException(kind + " " + name + " must be true or false, got '" + value + "'");
    }
    return Boolean.parseBoolean(value);
  }

  private Activation activation() {
    return values.containsKey("activation") ? Activation.parse(values.get("activation")) : Activation.RELU;
  }

  private Padding padding() {
    return values.containsKey("padding") ? Padding.parse(values.get("padding")) : Padding.valid();
  }

  private boolean poolType() {
    String pooling = required("pooling").toLowerCase();
    if (!pooling.equals("max") && !pooling.equals("avg")) {
      throw new IllegalArgumentException(kind + " pooling must be max or avg, got '" + pooling + "'");
    }
    return pooling.equals("max");
  }

  /** A layer's arguments by name, for the JSON form. */
  static Map<String, Object> named(LayerSpec layer) {
    Map<String, Object> named = new LinkedHashMap<>();
    if (layer instanceof DenseSpec d) {
      named.put("units", d.units());
      named.put("activation", d.activation().textName());
    } else if (layer instanceof DropoutSpec d) {
      named.put("rate", d.rate());
    } else if (layer instanceof ConvSpec c) {
      window(named, c.filters(), c.kernel(), c.stride(), c.padding(), c.activation());
    } else if (layer instanceof PoolSpec p) {
      named.put("pooling", p.max() ? "max" : "avg");
      named.put("kernel", p.kernel());
      named.put("stride", p.stride());
      named.put("padding", p.padding().toText());
    } else if (layer instanceof GlobalPoolSpec g) {
      named.put("pooling", g.max() ? "max" : "avg");
    } else if (layer instanceof DeconvSpec d) {
      window(named, d.filters(), d.kernel(), d.stride(), d.padding(), d.activation());
    } else if (layer instanceof RepeatSpec r) {
      named.put("times", r.times());
    } else if (layer instanceof UpsampleSpec u) {
      named.put("size", u.size());
    } else if (layer instanceof AttentionSpec a) {
      named.put("heads", a.heads());
      named.put("size", a.size());
    } else if (layer instanceof TransformerSpec t) {
      named.put("heads", t.heads());
      named.put("ff", t.feedForward());
    } else if (layer instanceof PosEncSpec p) {
      named.put("encoding", p.learned() ? "learned" : "sinusoidal");
    } else if (layer instanceof RecurrentSpec r) {
      named.put("units", r.units());
      named.put("bidirectional", r.bidirectional());
      named.put("sequences", r.sequences());
      named.put("tbptt", r.tbptt());
    }
    return named;
  }

  private static void window(Map<String, Object> named, int filters, int kernel, int stride, Padding padding,
                             Activation activation) {
    named.put("filters", filters);
    named.put("kernel", kernel);
    named.put("stride", stride);
    named.put("padding", padding.toText());
    named.put("activation", activation.textName());
  }

  /** The kind name of a layer, as used in both text forms. */
  static String kind(LayerSpec layer) {
    if (layer instanceof RecurrentSpec r) {
      return r.cell().textName();
    }
    return layer.getClass().getSimpleName().replace("Spec", "").toLowerCase();
  }

  /** Splits {@code a, b, c} into trimmed arguments. */
  static List<String> split(String inside) {
    List<String> args = new ArrayList<>();
    if (!inside.isBlank()) {
      for (String arg : inside.split(",")) {
        args.add(arg.strip());
      }
    }
    return args;
  }
}
