package vn.bhxh.shield.processor;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Caps the off-heap memory of all RocksDB stores of the JVM together: one block cache shared by every store,
 * with memtables charged to it through one WriteBufferManager. Without it each store instance takes its own
 * cache and memtables, and memory grows with the number of partitions, which on a small machine ends in the
 * OOM killer rather than a slower store.
 */
public final class BoundedRocksDbMemory implements RocksDBConfigSetter {

    /** Total bytes for block cache plus memtables; from {@code PROCESSOR_ROCKSDB_MEMORY_MB}. */
    public static final String TOTAL_BYTES_CONFIG = "bhxh.rocksdb.total.bytes";
    /** Share of the total that memtables may use before they are flushed. */
    private static final double MEMTABLE_SHARE = 0.25;
    /** Index and filter blocks are cached with high priority so data blocks are evicted first. */
    private static final double HIGH_PRIORITY_SHARE = 0.1;

    private static Cache cache;
    private static WriteBufferManager writeBufferManager;

    /** Shared by every store of the JVM; created once, with the size of the first configuration seen. */
    private static synchronized void share(long totalBytes) {
        if (cache == null) {
            cache = new LRUCache(totalBytes, -1, false, HIGH_PRIORITY_SHARE);
            writeBufferManager = new WriteBufferManager((long) (totalBytes * MEMTABLE_SHARE), cache);
        }
    }

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        share(Long.parseLong(configs.get(TOTAL_BYTES_CONFIG).toString()));
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(cache);
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setWriteBufferManager(writeBufferManager);
        options.setTableFormatConfig(table);
    }

    @Override
    public void close(String storeName, Options options) {
        // The cache and the write buffer manager are shared: closing them here would break the other stores.
    }
}
