package vn.bhxh.shield.topic;

import org.apache.kafka.common.serialization.Serde;

/** A topic with the serdes of its keys and values, so producers and consumers cannot disagree on them. */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde) {
}
