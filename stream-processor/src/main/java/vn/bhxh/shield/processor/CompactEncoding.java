package vn.bhxh.shield.processor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.function.Supplier;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.errors.SerializationException;

/**
 * The processor's own store values (states, evidence, evidence heads) in Avro's primitive encoding, written through
 * one buffered encoder per thread, reused. Why: Avro's direct encoder writes a byte at a time into the
 * (synchronized) {@link ByteArrayOutputStream}, 12 % of the processor's CPU in the full benchmark's drain when the
 * state serde used it; the buffered one hands the bytes over in blocks, and reusing it spares its buffer per value.
 * The evidence and its heads are written once per report and indicator, on the same hot path.
 */
final class CompactEncoding {

    /** What a value writes after its format byte. */
    interface Body {
        void write(BinaryEncoder out) throws IOException;
    }

    /** For a value written without a format byte first. */
    static final int NO_FORMAT = -1;

    private static final ThreadLocal<BinaryEncoder> ENCODERS = new ThreadLocal<>();

    private CompactEncoding() {
    }

    /**
     * @param format       the format byte, or {@link #NO_FORMAT}
     * @param expectedSize the usual size of such a value, to size the output once
     * @param what         what was being written, for the error (an enum name this build has no code for)
     */
    static byte[] encode(int format, int expectedSize, Body body, Supplier<String> what) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(expectedSize);
        if (format != NO_FORMAT) {
            bytes.write(format);
        }
        BinaryEncoder out = EncoderFactory.get().binaryEncoder(bytes, ENCODERS.get());
        ENCODERS.set(out);
        try {
            body.write(out);
            out.flush();
        } catch (IOException | IllegalArgumentException e) { // the output never fails; an enum without a code does
            throw new SerializationException("cannot write " + what.get(), e);
        }
        return bytes.toByteArray();
    }
}
