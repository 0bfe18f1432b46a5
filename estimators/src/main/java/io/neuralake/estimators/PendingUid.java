package io.neuralake.estimators;

import org.apache.spark.ml.util.Identifiable;

/**
 * Hands a stage's uid to its {@code uid()} while Spark's base constructor is still running:
 * Spark's shared params call {@code uid()} before any Java field of the stage is set.
 */
final class PendingUid {

  private static final ThreadLocal<String> PENDING = new ThreadLocal<>();

  private PendingUid() {}

  /** Stashes {@code uid} for the constructor about to run; returns it. */
  static String stash(String uid) {
    PENDING.set(uid);
    return uid;
  }

  /** The stashed uid, or a new random one with {@code prefix}. */
  static String take(String prefix) {
    String uid = PENDING.get();
    PENDING.remove();
    return uid != null ? uid : Identifiable.randomUID(prefix);
  }
}
