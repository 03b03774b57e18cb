package vn.bhxh.shield.deploy.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.RejectionInversionZipfSampler;
import org.apache.commons.rng.sampling.distribution.SharedStateDiscreteSampler;
import org.apache.commons.rng.simple.RandomSource;
import vn.bhxh.shield.allowlist.OfficialChannels;
import vn.bhxh.shield.indicator.VietnameseText;
import vn.bhxh.shield.province.Province;
import vn.bhxh.shield.province.Provinces;
import vn.bhxh.shield.schema.AllowlistEntry;
import vn.bhxh.shield.schema.Channel;
import vn.bhxh.shield.schema.ContactMethod;
import vn.bhxh.shield.schema.ScamRequest;

/**
 * Realistic reports, the same sequence for the same seed. Scam numbers and domains are drawn from Zipf
 * distributions (a few campaigns get most reports, a long tail gets one or two), a handful of hot numbers take a
 * fixed share on top, official channels appear as people report calls that spoof them, all 34 provinces and all
 * three channels, identifiers spelled the messy ways people write them, some events hours late, some malformed.
 * Not thread-safe: callers share one under a lock.
 */
public final class ReportGenerator {

    /** Mobile prefixes in use (without the 0): Viettel, VinaPhone, MobiFone, Vietnamobile, Gmobile. */
    private static final int[] MOBILE_PREFIXES = {32, 33, 34, 35, 36, 37, 38, 39, 56, 58, 59, 70, 76, 77, 78, 79,
            81, 82, 83, 84, 85, 86, 88, 90, 91, 93, 94, 96, 97, 98};
    private static final long SUBSCRIBERS_PER_PREFIX = 10_000_000L;
    /** Index ranges of the number space, so scam numbers, probes, citizens and state fillers never collide. */
    private static final long HOT_BASE = 50_000_000L;
    private static final long PROBE_BASE = 60_000_000L;
    private static final long DISTINCT_BASE = 100_000_000L;
    private static final long CITIZEN_BASE = 250_000_000L;
    private static final int CITIZENS = 2_000_000;

    private static final String[] TLDS = {"com", "net", "online", "xyz", "top", "info"};
    private static final String[] DOMAIN_WORDS = {"bhxh", "baohiemxahoi", "vssid", "bhyt", "dichvucong-bhxh"};
    private static final String[] NOTES = {
            "Tự xưng cán bộ BHXH, đòi mã OTP để cập nhật thẻ BHYT",
            "Gọi nói sổ BHXH bị khóa, yêu cầu chuyển tiền để mở",
            "Nhắn tin kèm đường link cài VssID giả",
            "Mời mua lại sổ BHXH với giá cao, đòi ảnh CCCD",
            "Giả danh nhân viên BHXH huyện, hẹn đến nhà thu tiền",
            null};
    private static final ContactMethod[] CONTACTS = ContactMethod.values();
    private static final ScamRequest[] REQUESTS = ScamRequest.values();

    public record Options(long seed, int numbers, int domains, double zipfExponent, int hotNumbers, double hotShare,
                          double officialShare, double policeShare, double fanpageShare, double lateShare,
                          double malformedShare) {

        /** Shares that look like the hotline's: most reports by phone, a few hot campaigns, rare police. */
        public static Options realistic(long seed, int numbers, int domains) {
            return new Options(seed, numbers, domains, 1.1, 5, 0.10, 0.02, 0.03, 0.20, 0.05, 0.02);
        }

        /** Without fanpage reports: the HTTP API takes hotline and police reports (fanpage comes by webhook). */
        public Options withoutFanpage() {
            return new Options(seed, numbers, domains, zipfExponent, hotNumbers, hotShare, officialShare,
                    policeShare, 0, lateShare, malformedShare);
        }
    }

    private final Options options;
    private final UniformRandomProvider rng;
    private final SharedStateDiscreteSampler numberRank;
    private final SharedStateDiscreteSampler domainRank;
    private final List<Province> provinces = Provinces.all();
    private final List<AllowlistEntry> official = OfficialChannels.all();

    public ReportGenerator(Options options) {
        this.options = options;
        this.rng = RandomSource.XO_RO_SHI_RO_128_PP.create(options.seed());
        this.numberRank = RejectionInversionZipfSampler.of(rng, options.numbers(), options.zipfExponent());
        this.domainRank = RejectionInversionZipfSampler.of(rng, options.domains(), options.zipfExponent());
    }

    /** The next report of the realistic mix, as if it happened shortly before {@code now} (or hours, if late). */
    public GeneratedReport next(Instant now) {
        Channel channel = channel();
        List<String> phones = new ArrayList<>();
        List<String> urls = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        if (rng.nextDouble() < options.malformedShare()) {
            phones.add(rng.nextBoolean() ? "0904 03" : "gọi tôi");
        } else if (rng.nextDouble() < options.officialShare()) {
            addOfficial(official.get(rng.nextInt(official.size())), phones, urls, keys);
        } else {
            double kind = rng.nextDouble();
            if (kind < 0.85) {
                long index = rng.nextDouble() < options.hotShare()
                        ? HOT_BASE + rng.nextInt(options.hotNumbers())
                        : numberRank.sample() - 1;
                addPhone(nationalNumber(index), phones, keys);
            }
            if (kind > 0.70) {
                addDomain(domain(domainRank.sample() - 1), urls, keys);
            }
        }
        boolean late = rng.nextDouble() < options.lateShare();
        Instant occurredAt = late
                ? now.minus(Duration.ofMinutes(120 + rng.nextInt(46 * 60)))
                : now.minus(Duration.ofSeconds(rng.nextInt(20 * 60)));
        return report(channel, phones, urls, occurredAt, late, keys);
    }

    /** A police report of a number nobody else reports: it is listed at once, so its blocklist record follows it. */
    public GeneratedReport probe(long index, Instant now) {
        List<String> phones = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        addPhone(nationalNumber(PROBE_BASE + index), phones, keys);
        return report(Channel.POLICE, phones, List.of(), now.minusSeconds(5), false, keys);
    }

    /** A hotline report of the {@code index}-th number of a range no other report uses: state of its own. */
    public GeneratedReport distinct(long index, Instant now) {
        List<String> phones = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        addPhone(nationalNumber(DISTINCT_BASE + index), phones, keys);
        return report(Channel.HOTLINE, phones, List.of(), now.minusSeconds(rng.nextInt(600)), false, keys);
    }

    private GeneratedReport report(Channel channel, List<String> phones, List<String> urls, Instant occurredAt,
                                   boolean late, List<String> keys) {
        Province province = provinces.get(rng.nextInt(provinces.size()));
        List<ScamRequest> requested = List.of(REQUESTS[rng.nextInt(REQUESTS.length)]);
        return new GeneratedReport(channel, reporter(channel, province), provinceAsWritten(province),
                CONTACTS[rng.nextInt(CONTACTS.length)], List.copyOf(phones), List.copyOf(urls), requested,
                NOTES[rng.nextInt(NOTES.length)], occurredAt, late, List.copyOf(keys));
    }

    private Channel channel() {
        double draw = rng.nextDouble();
        if (draw < options.policeShare()) {
            return Channel.POLICE;
        }
        return draw < options.policeShare() + options.fanpageShare() ? Channel.FANPAGE : Channel.HOTLINE;
    }

    private String reporter(Channel channel, Province province) {
        return switch (channel) {
            case HOTLINE -> "0" + nationalNumber(CITIZEN_BASE + rng.nextInt(CITIZENS));
            case FANPAGE -> "psid-" + (1_000_000_000L + rng.nextInt(CITIZENS));
            case POLICE -> "PC02-" + province.slug();
        };
    }

    /** The slug, the official name, the name without diacritics or a former name: ingest accepts them all. */
    private String provinceAsWritten(Province province) {
        int form = rng.nextInt(4);
        if (form == 3 && !province.formerNames().isEmpty()) {
            return province.formerNames().get(rng.nextInt(province.formerNames().size()));
        }
        return switch (form) {
            case 0 -> province.slug();
            case 1 -> province.name();
            default -> VietnameseText.fold(province.name());
        };
    }

    private void addPhone(String nationalNumber, List<String> phones, List<String> keys) {
        phones.add(MessySpelling.phone(nationalNumber, rng));
        keys.add("tel:+84" + nationalNumber);
    }

    private void addDomain(String domain, List<String> urls, List<String> keys) {
        urls.add(MessySpelling.domain(domain, rng));
        keys.add("domain:" + domain);
    }

    private void addOfficial(AllowlistEntry entry, List<String> phones, List<String> urls, List<String> keys) {
        String key = entry.getIndicator();
        if (key.startsWith("tel:+84")) {
            addPhone(key.substring("tel:+84".length()), phones, keys);
        } else if (key.startsWith("domain:")) {
            addDomain(key.substring("domain:".length()), urls, keys);
        } else if (key.startsWith("social:facebook:")) {
            // An official fanpage as people link it; the normaliser keys it as the account again.
            urls.add("https://www.facebook.com/" + key.substring("social:facebook:".length()));
            keys.add(key);
        } else {
            urls.add(key.substring(key.indexOf(':') + 1));
            keys.add(key);
        }
    }

    /**
     * The {@code index}-th mobile number (national significant number, 9 digits): spread over the prefixes, and
     * scrambled within one (a bijection modulo 10^7) so that neighbouring ranks do not look sequential.
     */
    static String nationalNumber(long index) {
        int prefix = MOBILE_PREFIXES[(int) (index % MOBILE_PREFIXES.length)];
        long subscriber = (index / MOBILE_PREFIXES.length * 7_368_787L + 1_234_567L) % SUBSCRIBERS_PER_PREFIX;
        return String.format("%d%07d", prefix, subscriber);
    }

    private static String domain(long index) {
        return DOMAIN_WORDS[(int) (index % DOMAIN_WORDS.length)] + "-" + Long.toString(index * 2_654_435_761L
                % 1_000_003L, 36) + "." + TLDS[(int) (index / DOMAIN_WORDS.length % TLDS.length)];
    }
}
