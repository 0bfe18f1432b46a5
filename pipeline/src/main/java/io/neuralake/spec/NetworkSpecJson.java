package io.neuralake.spec;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;

/**
 * The JSON form: {@code {"layers": [{"type": "dense", "units": 256, "activation": "relu"},
 * {"type": "dropout", "rate": 0.2}]}}, or {@code {"dl4j": {…}}} around a DL4J configuration.
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
        ObjectNode node = layers.addObject();
        if (layer instanceof DenseSpec dense) {
          node.put("type", "dense").put("units", dense.units()).put("activation", dense.activation().textName());
        } else if (layer instanceof DropoutSpec dropout) {
          node.put("type", "dropout").put("rate", dropout.rate());
        }
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
      String type = required(node, "type").asText();
      specs.add(switch (type) {
        case "dense" -> new DenseSpec(required(node, "units").asInt(),
            node.has("activation") ? Activation.parse(node.get("activation").asText()) : Activation.RELU);
        case "dropout" -> new DropoutSpec(required(node, "rate").asDouble());
        default -> throw new IllegalArgumentException("unknown layer type '" + type + "'; known types: dense, dropout");
      });
    }
    return NetworkSpec.of(specs);
  }

  private static JsonNode required(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null) {
      throw new IllegalArgumentException("layer " + node + " lacks the field \"" + field + "\"");
    }
    return value;
  }
}
