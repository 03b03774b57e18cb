package vn.bhxh.shield.deploy.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every measured value of a run by figure name; a figure measured several times is reported as its median. */
final class Samples {

    private final Map<String, List<Double>> values = new LinkedHashMap<>();

    synchronized void add(String figure, double value) {
        values.computeIfAbsent(figure, f -> new ArrayList<>()).add(value);
    }

    synchronized List<Double> all(String figure) {
        return List.copyOf(values.getOrDefault(figure, List.of()));
    }

    Optional<Double> median(String figure) {
        List<Double> sorted = all(figure).stream().sorted().toList();
        if (sorted.isEmpty()) {
            return Optional.empty();
        }
        int middle = sorted.size() / 2;
        return Optional.of(sorted.size() % 2 == 1 ? sorted.get(middle)
                : (sorted.get(middle - 1) + sorted.get(middle)) / 2);
    }

    /** {@code max - min} over the runs, the spread shown next to a median; 0 for a single run. */
    double spread(String figure) {
        List<Double> all = all(figure);
        return all.stream().mapToDouble(Double::doubleValue).max().orElse(0)
                - all.stream().mapToDouble(Double::doubleValue).min().orElse(0);
    }

    synchronized Map<String, List<Double>> snapshot() {
        Map<String, List<Double>> copy = new LinkedHashMap<>();
        values.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        return copy;
    }
}
