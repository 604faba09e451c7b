package io.tickwork.metrics;

import java.time.Duration;
import java.time.Instant;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import io.tickwork.ClaimOutcome;
import io.tickwork.JobExecution;
import io.tickwork.JobListener;
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

	private final MeterRegistry registry;

	/**
	 * Creates a new instance.
	 * @param registry the registry
	 */
	public JobMetricsListener(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void onClaim(String job, Instant scheduledTime, ClaimOutcome outcome) {
		Counter.builder(CLAIMS)
			.description("Attempts of this instance to claim a fire")
			.tag("job", job)
			.tag("outcome", outcome.tag())
			.register(this.registry)
			.increment();
	}

	@Override
	public void onStarted(JobExecution execution) {
		Duration lateness = execution.lateness();
		Timer.builder(LATENESS)
			.description("Time from a fire's scheduled time to its start")
			.tag("job", execution.job())
			.publishPercentileHistogram()
			.register(this.registry)
			.record(lateness.isNegative() ? Duration.ZERO : lateness);
	}

	@Override
	public void onRetrying(JobExecution execution, Throwable error, Duration delay) {
		Counter.builder(RETRIES)
			.description("Failed attempts that are retried")
			.tag("job", execution.job())
			.register(this.registry)
			.increment();
	}

	@Override
	public void onSkipped(JobExecution execution, SkipReason reason) {
		Counter.builder(SKIPPED)
			.description("Fires that were not run")
			.tag("job", execution.job())
			.tag("reason", reason.tag())
			.register(this.registry)
			.increment();
	}

}
