package io.tickwork.metrics;

import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.observation.Observation;

import io.tickwork.JobExecution;

/**
 * The context of the observation of a scheduled job's execution
 * ({@value JobObservationListener#EXECUTION}): the execution as it started.
 *
 * @author Tickwork team
 * @since 0.2.0
 */
public class JobExecutionObservationContext extends Observation.Context {

	private final JobExecution execution;

	/** The running-executions sample of {@link JobExecutionMeterObservationHandler}, or null. */
	LongTaskTimer.Sample active;

	/**
	 * The meters of the execution's job, which {@link JobExecutionMeterObservationHandler}
	 * found as the observation started (so that it looks them up once), or null.
	 */
	ExecutionMeters.JobTimers timers;

	/** When {@link JobExecutionMeterObservationHandler} saw the observation start, in the registry clock's nanos. */
	long startedNanos;

	/**
	 * Creates the context of an execution that starts.
	 * @param execution the execution, as it started
	 */
	public JobExecutionObservationContext(JobExecution execution) {
		this.execution = execution;
	}

	/**
	 * Returns the execution, as it started.
	 * @return the execution
	 */
	public JobExecution getExecution() {
		return this.execution;
	}

}
