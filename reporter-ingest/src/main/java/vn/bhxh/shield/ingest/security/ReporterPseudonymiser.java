package vn.bhxh.shield.ingest.security;

import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import vn.bhxh.shield.indicator.Normaliser;
import vn.bhxh.shield.schema.Channel;

/**
 * Replaces a reporter's identity with HMAC-SHA256(secret, normalised identity), hex (Decree 13/2023: the
 * processor may count distinct reporters, nobody downstream can recover who they are). A phone number is
 * normalised to E.164 first, so every spelling of one citizen's number is one reporter, whichever channel it came
 * through; other ids (fanpage sender, police unit) are namespaced by channel so they never collide with a phone.
 */
public final class ReporterPseudonymiser {

    private final HashFunction hmac;
    private final Normaliser normaliser;

    public ReporterPseudonymiser(byte[] key, Normaliser normaliser) {
        this.hmac = Hashing.hmacSha256(key);
        this.normaliser = normaliser;
    }

    public String pseudonym(Channel channel, String reporterId) {
        String identity = normaliser.phone(reporterId).accepted()
                .map(phone -> phone.key())
                .orElseGet(() -> channel.name().toLowerCase(Locale.ROOT) + ":"
                        + reporterId.strip().toLowerCase(Locale.ROOT));
        return hmac.hashString(identity, StandardCharsets.UTF_8).toString();
    }
}
