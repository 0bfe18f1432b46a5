package io.neuralake.estimators;

import io.neuralake.spec.NetworkSpec;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.util.Identifiable;

/** A {@link NetworkSpec} param, saved in its JSON form. */
public class NetworkSpecParam extends Param<NetworkSpec> {

  /** A param owned by {@code parent}. */
  public NetworkSpecParam(Identifiable parent, String name, String doc) {
    super(parent, name, doc);
  }

  @Override
  public String jsonEncode(NetworkSpec value) {
    return value.toJson();
  }

  @Override
  public NetworkSpec jsonDecode(String json) {
    return NetworkSpec.parse(json);
  }
}
