package vn.bhxh.shield.processor;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import vn.bhxh.shield.lookup.IndicatorStatus.AuditStep;
import vn.bhxh.shield.province.Province;
import vn.bhxh.shield.province.Provinces;
import vn.bhxh.shield.schema.BlocklistStatus;
import vn.bhxh.shield.schema.Channel;
import vn.bhxh.shield.schema.ListingReason;
import vn.bhxh.shield.schema.ScamRequest;

/** Indicator states for the serde's and cache's tests: arbitrary ones, and a hot number's as production has it. */
final class RandomStates {

    private static final long NOW = Instant.parse("2026-12-01T08:00:00Z").toEpochMilli();
    private static final long HOUR = Duration.ofHours(1).toMillis();
    private static final List<String> PROVINCES = Provinces.all().stream().map(Province::slug).toList();

    private final Random random;

    RandomStates(long seed) {
        this.random = new Random(seed);
    }

    /** What ingest's pseudonymiser makes of a reporter: HMAC-SHA256 in lowercase hex (a plain hash here). */
    static String pseudonym(String reporter) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(reporter.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Any state: every field set or null at random, times anywhere (negative, near the ends of long), pseudonyms as
     * hex, upper-case hex, odd-length hex or any text, repeated names, lists with duplicates, non-ASCII text.
     */
    IndicatorState any() {
        IndicatorState state = new IndicatorState();
        List<String> reporters = new ArrayList<>();
        for (int i = random.nextInt(6); i >= 0; i--) {
            reporters.add(switch (random.nextInt(4)) {
                case 0 -> pseudonym("citizen-" + random.nextInt());
                case 1 -> pseudonym("citizen-" + random.nextInt()).toUpperCase(java.util.Locale.ROOT);
                case 2 -> "abc";
                default -> text();
            });
        }
        for (int i = random.nextInt(12); i > 0; i--) {
            long first = time();
            state.sightings.add(new Sighting(first, first + random.nextInt(3_600_000), pick(reporters),
                    nullable(this::account), first + random.nextInt(1_000_000) - 500_000, pick(Channel.values()),
                    nullable(this::province), requests(), random.nextBoolean() ? 0 : random.nextLong(),
                    1 + random.nextInt(1_000)));
        }
        for (int i = random.nextInt(4); i > 0; i--) {
            state.sampleNotes.add(text());
        }
        state.firstSeen = nullable(this::time);
        state.lastSeen = nullable(this::time);
        state.listing = nullable(() -> new IndicatorState.Listing(pick(BlocklistStatus.values()),
                pick(ListingReason.values()), time(), time()));
        state.proposal = nullable(() -> new IndicatorState.Proposal(time(), time(), random.nextBoolean()));
        state.warnedUpTo = nullable(this::time);
        state.spoofAlertedAt = nullable(this::time);
        state.delistedAt = nullable(this::time);
        state.rejectedAt = nullable(this::time);
        for (int i = random.nextInt(3); i > 0; i--) {
            state.accountsAtRejection.add(account());
        }
        state.official = random.nextBoolean();
        state.unallowlistedAt = nullable(this::time);
        for (int i = random.nextInt(5); i > 0; i--) {
            state.provincesEver.add(province());
        }
        for (int i = random.nextInt(8); i > 0; i--) {
            state.accountsEver.add(account());
        }
        for (int i = random.nextInt(4); i > 0; i--) {
            state.audit.add(new AuditStep(nullable(() -> Instant.ofEpochMilli(time())), nullable(() ->
                    pick(List.of("LISTED", "CONFIRMED", "PROPOSED", "ACKNOWLEDGE"))), nullable(this::account),
                    nullable(this::text)));
        }
        state.indexedAt = nullable(this::time);
        state.entryInOldForm = random.nextBoolean();
        return state;
    }

    /**
     * A hot number as the benchmark's realistic mix makes it (ReportGenerator.Options.realistic: 77 % hotline,
     * 20 % fanpage, 3 % police; one request and one of a few notes per report; reporters drawn from two million
     * citizens, so nearly all distinct), reported all day from every province: {@link Rules#maxSightings()}
     * sightings, each one report; proposed by the rules and confirmed by an officer.
     */
    IndicatorState hot(int sightings) {
        IndicatorState state = new IndicatorState();
        for (int i = 0; i < sightings; i++) {
            report(state, NOW - 24 * HOUR + i * (24 * HOUR / sightings) + random.nextInt(60_000), sightings);
        }
        state.sampleNotes.addAll(List.of("Tự xưng cán bộ BHXH, đòi mã OTP để cập nhật thẻ BHYT",
                "Gọi nói sổ BHXH bị khóa, yêu cầu chuyển tiền để mở", "Nhắn tin kèm đường link cài VssID giả"));
        state.listing = new IndicatorState.Listing(BlocklistStatus.CONFIRMED, ListingReason.OFFICER_CONFIRMED,
                NOW - 20 * HOUR, NOW + Duration.ofDays(30).toMillis());
        state.warnedUpTo = NOW - 22 * HOUR;
        state.indexedAt = state.listing.expiresAt();
        state.audit.add(new AuditStep(Instant.ofEpochMilli(NOW - 21 * HOUR), "PROPOSED", "rules",
                "8 người báo cáo (trọng số 8.0) ở 5 tỉnh trong 24 giờ."));
        state.audit.add(new AuditStep(Instant.ofEpochMilli(NOW - 20 * HOUR), "CONFIRMED", "officer-hanoi-3",
                "Đã gọi lại 2 người báo cáo, xác nhận lừa đảo."));
        return state;
    }

    /**
     * Most indicators: one report of the same mix (the benchmark's long tail and its state-footprint preload of
     * distinct numbers), not yet warned about.
     */
    IndicatorState reportedOnce() {
        IndicatorState state = new IndicatorState();
        report(state, NOW, 1);
        state.sampleNotes.add("Tự xưng cán bộ BHXH, đòi mã OTP để cập nhật thẻ BHYT");
        return state;
    }

    private void report(IndicatorState state, long entered, int maxSightings) {
        long first = entered - random.nextInt(600_000);
        String province = province();
        double draw = random.nextDouble();
        Channel channel = draw < 0.03 ? Channel.POLICE : draw < 0.23 ? Channel.FANPAGE : Channel.HOTLINE;
        String account = switch (channel) {
            case HOTLINE -> "operator-" + random.nextInt(40);
            case FANPAGE -> "fanpage:1096" + random.nextInt(3);
            case POLICE -> "PC02-" + province;
        };
        Sighting sighting = new Sighting(first, first, pseudonym("citizen-" + random.nextInt(2_000_000)), account,
                entered, channel, channel == Channel.FANPAGE ? null : province, List.of(pick(ScamRequest.values())),
                random.nextInt(10) == 0 ? 5_000_000 : 0, 1);
        state.see(sighting, maxSightings);
        state.remember(sighting.province(), account);
    }

    private long time() {
        return switch (random.nextInt(5)) {
            case 0 -> random.nextLong();
            case 1 -> random.nextBoolean() ? Long.MAX_VALUE : Long.MIN_VALUE;
            case 2 -> -random.nextInt(1_000_000);
            default -> NOW + random.nextInt(1_000_000_000) - 500_000_000;
        };
    }

    private String account() {
        return pick(List.of("operator-7", "fanpage:10963", "PC02-ha-noi", "Cán bộ Thanh Hóa", ""));
    }

    private String province() {
        return pick(PROVINCES);
    }

    private List<ScamRequest> requests() {
        List<ScamRequest> requested = new ArrayList<>();
        for (int i = random.nextInt(4); i > 0; i--) {
            requested.add(pick(ScamRequest.values()));
        }
        return List.copyOf(requested);
    }

    private String text() {
        return pick(List.of("", "x", "Tự xưng cán bộ BHXH, đòi mã OTP", "🙂 gọi lúc 9 giờ", "a".repeat(300)));
    }

    private <T> T nullable(Supplier<T> value) {
        return random.nextInt(3) == 0 ? null : value.get();
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    @SafeVarargs
    private <T> T pick(T... values) {
        return values[random.nextInt(values.length)];
    }
}
