package io.tickwork.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import io.tickwork.JobExecution;

/**
 * Times executions with plain Micrometer meters, for applications without an
 * {@code ObservationRegistry}: a timer of finished executions and a long-task timer of
 * running ones, each job's kept once registered. Thread-safe.
 *
 * @author Tickwork team
 * @since 0.1.0
 */
public class JobTimingListener extends ExecutionEndListener {

	/**
	 * Timer of finished executions, tags {@code job}, {@code outcome} and
	 * {@code exception}.
	 */
	public static final String EXECUTION = "tickwork.job.execution";

	/**
	 * Long-task timer of running executions, tag {@code job}.
	 */
	public static final String ACTIVE = "tickwork.job.execution.active";

	private final MeterRegistry registry;

	private final Map<String, LongTaskTimer.Sample> running = new ConcurrentHashMap<>();

	private final ExecutionMeters meters = new ExecutionMeters();

	/**
	 * Creates a new instance.
	 * @param registry the registry
	 */
	public JobTimingListener(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void onStarted(JobExecution execution) {
		if (isQueued(execution)) {
			return;
		}
		this.running.put(execution.id(), this.meters.active(execution.job(), () -> LongTaskTimer.builder(ACTIVE)
			.description("Running executions")
			.tag("job", execution.job())
			.register(this.registry)).start());
	}

	@Override
	void ended(JobExecution execution, Throwable error) {
		LongTaskTimer.Sample sample = this.running.remove(execution.id());
		if (sample != null) {
			sample.stop();
		}
		String outcome = Outcomes.outcome(execution.status());
		String exception = Outcomes.exception(error);
		this.meters.finished(execution.job(), outcome, exception, null, () -> Timer.builder(EXECUTION)
			.description("Finished executions, all attempts included")
			.tag("job", execution.job())
			.tag("outcome", outcome)
			.tag("exception", exception)
			.register(this.registry)).record(execution.duration().toNanos(), TimeUnit.NANOSECONDS);
	}

}
