package vn.bhxh.shield.testkit;

/**
 * How hard a crash test pushes: kills injected, records sent and the seed of everything random, from system
 * properties, so CI runs a short version and a release runs {@code -Deos.long=true}. The seed makes the records
 * (not the moments of the kills, which depend on the machine) the same in every run.
 *
 * @param kills   {@code -Deos.kills}, default {@code ciKills}, five times that in the long mode
 * @param records {@code -D<recordsProperty>}, default {@code ciRecords}, ten times that in the long mode
 * @param seed    {@code -Deos.seed}
 */
public record CrashScale(boolean longMode, int kills, int records, long seed) {

    public static CrashScale fromSystemProperties(int ciKills, String recordsProperty, int ciRecords) {
        boolean longMode = Boolean.getBoolean("eos.long");
        return new CrashScale(longMode,
                Integer.getInteger("eos.kills", longMode ? ciKills * 5 : ciKills),
                Integer.getInteger(recordsProperty, longMode ? ciRecords * 10 : ciRecords),
                Long.getLong("eos.seed", 20_261_122L));
    }
}
