package vn.bhxh.shield.ingest.security;

import java.util.Locale;
import vn.bhxh.shield.schema.Channel;

/** What a token may do; each role reports through exactly one channel, so a token cannot claim more trust. */
public enum Role {
    OPERATOR(Channel.HOTLINE),
    FANPAGE(Channel.FANPAGE),
    POLICE(Channel.POLICE);

    private final Channel channel;

    Role(Channel channel) {
        this.channel = channel;
    }

    public Channel channel() {
        return channel;
    }

    static Role parse(String text) {
        try {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("unknown role '" + text + "' (operator, fanpage or police)", e);
        }
    }
}
