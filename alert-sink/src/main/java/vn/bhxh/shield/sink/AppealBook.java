package vn.bhxh.shield.sink;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import vn.bhxh.shield.schema.Appeal;
import vn.bhxh.shield.schema.AppealStatus;

/**
 * Every appeal's current state, folded from {@code bhxh.appeals.v1} by {@link AppealFollower} (and an instance's own
 * new appeals at once, so the owner can check the receipt they were just given). Listeners hear of every change:
 * the national boards' live streams.
 */
final class AppealBook {

    private final Map<String, Appeal> appeals = new HashMap<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private boolean loaded;

    void apply(Appeal incoming) {
        boolean changed;
        synchronized (this) {
            Appeal current = appeals.get(incoming.getAppealId());
            Appeal kept = Appeals.later(current, incoming);
            appeals.put(incoming.getAppealId(), kept);
            changed = !kept.equals(current);
        }
        if (changed) {
            listeners.forEach(Runnable::run);
        }
    }

    synchronized Optional<Appeal> find(String appealId) {
        return Optional.ofNullable(appeals.get(appealId));
    }

    /** The review items of the national board, oldest first. */
    synchronized List<Appeal> open() {
        return appeals.values().stream().filter(a -> a.getStatus() == AppealStatus.OPEN)
                .sorted(Comparator.comparing(Appeal::getSubmittedAt)).toList();
    }

    synchronized void markLoaded() {
        loaded = true;
    }

    synchronized boolean loaded() {
        return loaded;
    }

    void onChange(Runnable listener) {
        listeners.add(listener);
    }
}
