package io.tickwork.metrics;

import java.time.Duration;
import java.time.Instant;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import io.tickwork.ClaimOutcome;
import io.tickwork.JobExecution;
import io.tickwork.JobListener;
import io.tickwork.JobStats;
import io.tickwork.SkipReason;

/**
 * Counts claims, skipped fires and retries, and measures lateness, as Micrometer meters;
 * execution durations come from {@link JobTimingListener} or
 * {@link JobObservationListener}. Thread-safe.
 *
 * @author Tickwork team
 * @since 0.1.0
 */
public class JobMetricsListener implements JobListener {

	/**
	 * Counter of claims, tags {@code job} and {@code outcome}.
	 */
	public static final String CLAIMS = "tickwork.job.claims";

	/**
	 * Counter of skipped fires, tags {@code job} and {@code reason}.
	 */
	public static final String SKIPPED = "tickwork.job.skipped";

	/**
	 * Counter of retried attempts, tag {@code job}.
	 */
	public static final String RETRIES = "tickwork.job.retries";

	/**
	 * Timer of start minus scheduled time, tag {@code job}.
	 */
	public static final String LATENESS = "tickwork.job.lateness";

	/**
	 * Gauge of the share of a job's runs that failed ({@link JobStats#failureRate()}),
	 * tag {@code job}; from the job's recorded statistics (cluster-wide with Redis), read
	 * at most every {@value #STATS_MAX_AGE_SECONDS} seconds.
	 */
	public static final String FAILURE_RATE = "tickwork.job.failure.rate";

	static final long STATS_MAX_AGE_SECONDS = 10;

	private final MeterRegistry registry;

	private final Function<String, JobStats> stats;

	private final Map<String, JobMeters> meters = new ConcurrentHashMap<>();

	/**
	 * Creates a listener without the failure-rate gauge.
	 * @param registry the registry
	 */
	public JobMetricsListener(MeterRegistry registry) {
		this(registry, null);
	}

	/**
	 * Creates a new instance.
	 * @param registry the registry
	 * @param stats reads a job's statistics, for the failure-rate gauge of each job seen
	 * to fire; {@code null} for none
	 * @since 0.1.0
	 */
	public JobMetricsListener(MeterRegistry registry, Function<String, JobStats> stats) {
		this.registry = registry;
		this.stats = stats;
	}

	/** The job's meters, with its failure-rate gauge registered the first time the job is seen to fire. */
	private JobMeters seen(String job) {
		JobMeters meters = meters(job);
		if (this.stats != null && meters.rate == null) {
			synchronized (meters) {
				if (meters.rate == null) {
					CachedRate rate = new CachedRate(job, this.stats);
					Gauge.builder(FAILURE_RATE, rate, CachedRate::get)
						.description("Share of the job's runs that failed, from its recorded statistics")
						.tag("job", job)
						.register(this.registry);
					meters.rate = rate;
				}
			}
		}
		return meters;
	}

	@Override
	public void onClaim(String job, Instant scheduledTime, ClaimOutcome outcome) {
		meters(job).claims(outcome).increment();
	}

	@Override
	public void onStarted(JobExecution execution) {
		if (execution.trigger() == JobExecution.Trigger.QUEUE) {
			return;
		}
		JobMeters meters = seen(execution.job());
		Duration lateness = execution.lateness();
		meters.lateness().record(lateness.isNegative() ? Duration.ZERO : lateness);
	}

	@Override
	public void onRetrying(JobExecution execution, Throwable error, Duration delay) {
		if (execution.trigger() == JobExecution.Trigger.QUEUE) {
			return;
		}
		meters(execution.job()).retries().increment();
	}

	@Override
	public void onSkipped(JobExecution execution, SkipReason reason) {
		seen(execution.job()).skipped(reason).increment();
	}

	private JobMeters meters(String job) {
		JobMeters meters = this.meters.get(job);
		if (meters == null) {
			meters = this.meters.computeIfAbsent(job, (name) -> new JobMeters(name, this.registry));
		}
		return meters;
	}

	/**
	 * One job's meters, registered when first needed and then kept, so that a fire does
	 * not look them up in the registry; registering again would find the same meters.
	 */
	private static final class JobMeters {

		private final String job;

		private final MeterRegistry registry;

		private final AtomicReferenceArray<Counter> claims = new AtomicReferenceArray<>(ClaimOutcome.values().length);

		private final AtomicReferenceArray<Counter> skipped = new AtomicReferenceArray<>(SkipReason.values().length);

		private volatile Counter retries;

		private volatile Timer lateness;

		/** The failure rate its gauge reads, once registered. */
		private volatile CachedRate rate;

		JobMeters(String job, MeterRegistry registry) {
			this.job = job;
			this.registry = registry;
		}

		Counter claims(ClaimOutcome outcome) {
			Counter counter = this.claims.get(outcome.ordinal());
			return (counter != null) ? counter : register(this.claims, outcome.ordinal(), CLAIMS,
					"Attempts of this instance to claim a fire", "outcome", outcome.tag());
		}

		Counter skipped(SkipReason reason) {
			Counter counter = this.skipped.get(reason.ordinal());
			return (counter != null) ? counter
					: register(this.skipped, reason.ordinal(), SKIPPED, "Fires that were not run", "reason", reason.tag());
		}

		/** Registers a counter of the job with one more tag and keeps it; a race registers twice and gets the same meter. */
		private Counter register(AtomicReferenceArray<Counter> counters, int index, String name, String description,
				String tag, String value) {
			Counter counter = Counter.builder(name)
				.description(description)
				.tag("job", this.job)
				.tag(tag, value)
				.register(this.registry);
			counters.set(index, counter);
			return counter;
		}

		Counter retries() {
			Counter counter = this.retries;
			if (counter == null) {
				counter = Counter.builder(RETRIES)
					.description("Failed attempts that are retried")
					.tag("job", this.job)
					.register(this.registry);
				this.retries = counter;
			}
			return counter;
		}

		Timer lateness() {
			Timer timer = this.lateness;
			if (timer == null) {
				timer = Timer.builder(LATENESS)
					.description("Time from a fire's scheduled time to its start")
					.tag("job", this.job)
					.publishPercentileHistogram()
					.register(this.registry);
				this.lateness = timer;
			}
			return timer;
		}

	}

	/** A job's failure rate, read again once older than the gauge's bound. */
	private static final class CachedRate {

		private final String job;

		private final Function<String, JobStats> stats;

		private volatile double value = Double.NaN;

		private volatile long readAt;

		CachedRate(String job, Function<String, JobStats> stats) {
			this.job = job;
			this.stats = stats;
		}

		double get() {
			long now = System.nanoTime();
			if (Double.isNaN(this.value) || now - this.readAt > TimeUnit.SECONDS.toNanos(STATS_MAX_AGE_SECONDS)) {
				try {
					this.value = this.stats.apply(this.job).failureRate();
				}
				catch (RuntimeException ex) {
					// an unreachable store leaves the last value, or none
				}
				this.readAt = now;
			}
			return this.value;
		}

	}

}
