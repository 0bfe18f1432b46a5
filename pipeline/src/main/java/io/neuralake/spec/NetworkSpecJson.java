package io.neuralake.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;

/**
 * The JSON form: {@code {"layers": [{"type": "dense", "units": 256, "activation": "relu"},
 * {"type": "dropout", "rate": 0.2}]}}, with the same argument names as the compact form, or
 * {@code {"dl4j": {…}}} around a DL4J configuration.
 */
final class NetworkSpecJson {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private NetworkSpecJson() {}

  static String write(NetworkSpec spec) {
    try {
      ObjectNode root = MAPPER.createObjectNode();
      if (spec.isDl4j()) {
        root.set("dl4j", MAPPER.readTree(spec.dl4jJson()));
        return MAPPER.writeValueAsString(root);
      }
      ArrayNode layers = root.putArray("layers");
      for (LayerSpec layer : spec.layers()) {
        ObjectNode node = layers.addObject().put("type", LayerArguments.kind(layer));
        LayerArguments.named(layer).forEach((name, value) -> node.set(name, MAPPER.valueToTree(value)));
      }
      return MAPPER.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write network as JSON", e);
    }
  }

  static NetworkSpec read(String json) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("network JSON cannot be parsed: " + e.getOriginalMessage(), e);
    }
    if (root.has("dl4j")) {
      return NetworkSpec.fromDl4j(MultiLayerConfiguration.fromJson(root.get("dl4j").toString()));
    }
    JsonNode layers = root.get("layers");
    if (layers == null || !layers.isArray()) {
      throw new IllegalArgumentException("network JSON needs a \"layers\" array or a \"dl4j\" object: " + json);
    }
    List<LayerSpec> specs = new ArrayList<>();
    for (JsonNode node : layers) {
      Map<String, String> named = new LinkedHashMap<>();
      node.fields().forEachRemaining(field -> named.put(field.getKey(), field.getValue().asText()));
      String type = named.remove("type");
      if (type == null) {
        throw new IllegalArgumentException("layer " + node + " lacks the field \"type\"");
      }
      specs.add(LayerArguments.fromNamed(type, named));
    }
    return NetworkSpec.of(specs);
  }

}
