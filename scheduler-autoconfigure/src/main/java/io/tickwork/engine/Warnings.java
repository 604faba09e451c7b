package io.tickwork.engine;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

import org.slf4j.Logger;

/**
 * Keeps warnings that can come by the thousand (misfires and skips of a saturated
 * instance, claims of an unreachable store) to a line per kind and interval: the first
 * warning of a kind is logged as it comes, those that follow within
 * {@value #INTERVAL_SECONDS} seconds are counted per job, and one line then says how many
 * there were, for how many jobs, and which jobs had the most. Thread-safe.
 */
final class Warnings {

	static final long INTERVAL_SECONDS = 10;

	private static final int WORST_SHOWN = 5;

	private final long intervalNanos;

	private final Map<String, Kind> kinds = new HashMap<>();

	private final LongSupplier nanoTime;

	/** Whether some kind has counted warnings to tell; read without the lock by {@link #flushIfDue()}. */
	private volatile boolean pending;

	Warnings() {
		this(TimeUnit.SECONDS.toNanos(INTERVAL_SECONDS));
	}

	Warnings(long intervalNanos) {
		this(intervalNanos, System::nanoTime);
	}

	/** For tests: an interval, and the time source it is measured by. */
	Warnings(long intervalNanos, LongSupplier nanoTime) {
		this.intervalNanos = intervalNanos;
		this.nanoTime = nanoTime;
	}

	/**
	 * Logs a warning now, or counts it if one of its kind was logged within the interval.
	 * @param logger the logger of the class that warns
	 * @param kind what the warning is about, as the summary line names it
	 * @param job the job it concerns
	 * @param format the warning's format, with {@code {}} placeholders
	 * @param arguments its arguments
	 */
	void warn(Logger logger, String kind, String job, String format, Object... arguments) {
		if (!logger.isWarnEnabled()) {
			return;
		}
		long now = this.nanoTime.getAsLong();
		Runnable summary = null;
		boolean logNow = false;
		synchronized (this) {
			Kind counts = this.kinds.computeIfAbsent(kind, (key) -> new Kind(logger));
			boolean quiet = counts.windowStart == 0 || now - counts.windowStart >= this.intervalNanos;
			if (quiet && counts.total == 0) {
				counts.windowStart = now;
				logNow = true;
			}
			else {
				if (quiet) {
					// the interval ended with warnings counted: say so, and count this one in the next
					summary = counts.summary(kind, TimeUnit.NANOSECONDS.toSeconds(this.intervalNanos), now);
				}
				counts.perJob.merge(job, 1, Integer::sum);
				counts.total++;
				this.pending = true;
			}
		}
		if (summary != null) {
			summary.run();
		}
		else if (logNow) {
			logger.warn(format, arguments);
		}
	}

	/** Logs the summary of each kind whose interval ended with warnings counted. */
	void flushIfDue() {
		if (!this.pending) {
			return;
		}
		long now = this.nanoTime.getAsLong();
		List<Runnable> lines;
		synchronized (this) {
			lines = this.kinds.entrySet()
				.stream()
				.filter((entry) -> entry.getValue().total > 0 && now - entry.getValue().windowStart >= this.intervalNanos)
				.map((entry) -> entry.getValue()
					.summary(entry.getKey(), TimeUnit.NANOSECONDS.toSeconds(this.intervalNanos), now))
				.toList();
			this.pending = this.kinds.values().stream().anyMatch((counts) -> counts.total > 0);
		}
		lines.forEach(Runnable::run);
	}

	/** The warnings of one kind counted since its last line. */
	private static final class Kind {

		final Logger logger;

		final Map<String, Integer> perJob = new HashMap<>();

		long windowStart;

		long total;

		Kind(Logger logger) {
			this.logger = logger;
		}

		/** Takes the counts and starts a new interval; answers how to log them. */
		Runnable summary(String kind, long seconds, long now) {
			long total = this.total;
			int jobs = this.perJob.size();
			String worst = this.perJob.entrySet()
				.stream()
				.sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
				.limit(WORST_SHOWN)
				.map((entry) -> entry.getKey() + " (" + entry.getValue() + ")")
				.collect(Collectors.joining(", "));
			this.perJob.clear();
			this.total = 0;
			this.windowStart = now;
			return () -> this.logger.warn("{} more warning(s) of {} in the last {}s, for {} job(s); most: {}", total,
					kind, seconds, jobs, worst);
		}

	}

}
