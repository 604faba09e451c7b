package io.tickwork.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

import io.tickwork.JobExecution;

/**
 * Observes each execution with Micrometer's Observation API, so that the application's
 * observation handlers turn it into meters ({@code tickwork.job.execution} and
 * {@code tickwork.job.execution.active}) and traces; the context is a
 * {@link JobExecutionObservationContext}, which {@link JobExecutionMeterObservationHandler}
 * measures without a registry look-up per execution. Thread-safe.
 *
 * @author Tickwork team
 * @since 0.1.0
 */
public class JobObservationListener extends ExecutionEndListener {

	/**
	 * Name of the execution observation.
	 */
	public static final String EXECUTION = "tickwork.job.execution";

	private final ObservationRegistry registry;

	private final Map<String, Observation> running = new ConcurrentHashMap<>();

	/**
	 * Creates a new instance.
	 * @param registry the observation registry
	 */
	public JobObservationListener(ObservationRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void onStarted(JobExecution execution) {
		if (isQueued(execution)) {
			return;
		}
		JobExecutionObservationContext context = new JobExecutionObservationContext(execution);
		Observation observation = Observation.createNotStarted(EXECUTION, () -> context, this.registry)
			.contextualName("job " + execution.job())
			.lowCardinalityKeyValue("job", execution.job())
			.highCardinalityKeyValue("execution", execution.id())
			.highCardinalityKeyValue("fencing.token", String.valueOf(execution.fencingToken()));
		this.running.put(execution.id(), observation.start());
	}

	@Override
	void ended(JobExecution execution, Throwable error) {
		Observation observation = this.running.remove(execution.id());
		if (observation == null) {
			return;
		}
		observation.lowCardinalityKeyValue("outcome", Outcomes.outcome(execution.status()))
			.lowCardinalityKeyValue("exception", Outcomes.exception(error));
		if (error != null) {
			observation.error(error);
		}
		observation.stop();
	}

}
