package vn.bhxh.shield.deploy.bench;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** The progress bars of the benchmark, one per measured step, on standard output. */
final class Progress {

    private Progress() {
    }

    static ProgressBar of(String task, long max, String unit) {
        return new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(max)
                .setUnit(" " + unit, 1)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(500)
                .setMaxRenderedLength(110)
                .setConsumer(new ConsoleProgressBarConsumer(System.out))
                .showSpeed()
                .build();
    }
}
