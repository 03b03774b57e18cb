package vn.bhxh.shield.processor;

import com.google.common.base.Throwables;
import vn.bhxh.shield.registry.SchemaRegistryException;
import vn.bhxh.shield.serde.WireFormatException;

/**
 * Tells a failure caused by the schema registry being unreachable, slow or answering 5xx (the bytes may be fine, so
 * the record must be tried again later, never dead-lettered) from anything else, whatever wraps it on the way up
 * (Kafka Streams wraps a processor's exception once or twice before a handler sees it).
 */
final class RegistryOutage {

    private RegistryOutage() {
    }

    static boolean causedBy(Throwable failure) {
        for (Throwable cause : Throwables.getCausalChain(failure)) {
            if (cause instanceof WireFormatException wire
                    && wire.reason() == WireFormatException.Reason.REGISTRY_UNAVAILABLE) {
                return true;
            }
            if (cause instanceof SchemaRegistryException registry && registry.isUnavailable()) {
                return true;
            }
        }
        return false;
    }
}
