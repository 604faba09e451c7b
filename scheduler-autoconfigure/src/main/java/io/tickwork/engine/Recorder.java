package io.tickwork.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tickwork.ExecutionStatus;
import io.tickwork.JobExecution;
import io.tickwork.JobExecution.Trigger;
import io.tickwork.JobListener;
import io.tickwork.SkipReason;
import io.tickwork.history.JobHistory;
import io.tickwork.lock.JobLock;
import io.tickwork.lock.Lease;

/**
 * Tells what became of executions: writes them to the history (unless the lock writes
 * it in its own claim and release), tells the listeners and logs, and completes the
 * future of a manual run. Never throws for a store that fails. Thread-safe.
 */
final class Recorder {

	private static final Logger logger = LoggerFactory.getLogger(Recorder.class);

	private static final int MESSAGE_LIMIT = 2000;

	private final JobHistory history;

	private final JobLock lock;

	private final JobListener listener;

	private final EngineClock clock;

	private final String instanceId;

	private final Warnings warnings;

	Recorder(JobHistory history, JobLock lock, JobListener listener, EngineClock clock, String instanceId,
			Warnings warnings) {
		this.warnings = warnings;
		this.history = history;
		this.lock = lock;
		this.listener = listener;
		this.clock = clock;
		this.instanceId = instanceId;
	}

	JobListener listener() {
		return this.listener;
	}

	/** Where warnings that can come by the thousand are kept to a line per interval. */
	Warnings warnings() {
		return this.warnings;
	}

	/** Whether the lock writes executions itself, in its claims and releases. */
	boolean lockRecords() {
		return this.lock.recordsHistory();
	}

	/** Writes an execution to the history without waiting for a remote store; a store that fails is logged. */
	void record(JobExecution execution) {
		try {
			this.history.recordWithoutWaiting(execution);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not record execution {} of job '{}' ({}): {}", execution.id(), execution.job(),
					execution.status(), ex.toString());
		}
	}

	/** An execution started: recorded as running, and told. */
	void started(JobExecution running) {
		if (!lockRecords()) {
			record(running);
		}
		this.listener.onStarted(running);
		if (logger.isDebugEnabled()) {
			logger.debug("Job '{}' started execution {} (scheduled {}, trigger {}, fencing token {})", running.job(),
					running.id(), running.scheduledTime(), running.trigger(), running.fencingToken());
		}
	}

	/** A retry is due: told. */
	void retrying(JobExecution snapshot, Throwable error, Duration delay) {
		this.listener.onRetrying(snapshot, error, delay);
	}

	/** An execution ended and its lease was released: recorded unless the release did, told and logged. */
	void finished(JobExecution done, ExecutionStatus status, Throwable error, String text) {
		if (!lockRecords()) {
			record(done);
		}
		switch (status) {
			case SUCCEEDED -> {
				this.listener.onSucceeded(done);
				if (logger.isDebugEnabled()) {
					logger.debug("Job '{}' execution {} succeeded in {}ms ({} attempt(s))", done.job(), done.id(),
							done.duration().toMillis(), done.attempts());
				}
			}
			case FAILED -> {
				this.listener.onFailed(done, error);
				logger.error("Job '{}' execution {} failed after {} attempt(s)", done.job(), done.id(), done.attempts(),
						error);
			}
			case TIMED_OUT -> {
				this.listener.onTimedOut(done);
				logger.warn("Job '{}' execution {} timed out after {} attempt(s)", done.job(), done.id(),
						done.attempts());
			}
			default -> {
				this.listener.onInterrupted(done);
				logger.warn("Job '{}' execution {} interrupted: {}", done.job(), done.id(), text);
			}
		}
	}

	/**
	 * What a release answered: a lease no longer held is logged; a release that failed
	 * is logged, and its execution written to the history if the release was to write it.
	 */
	void released(Lease lease, JobExecution execution, Boolean held, Throwable failure) {
		if (failure == null) {
			if (!Boolean.TRUE.equals(held) && lease.exclusive()) {
				logger.warn("Job '{}' execution {} no longer held its lock when it ended", execution.job(),
						execution.id());
			}
			return;
		}
		Throwable cause = (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause()
				: failure;
		logger.warn("Job '{}' execution {} could not release its lock: {}", execution.job(), execution.id(),
				cause.toString());
		if (lockRecords()) {
			record(execution);
		}
	}

	/**
	 * The record of a fire that did not run. A scheduled fire that no instance could
	 * claim (the store was unavailable) gets the id every instance gives it, so that the
	 * history keeps one record of it however many instances found it.
	 */
	JobExecution skippedExecution(Fire fire, SkipReason reason, String message, long fencingToken) {
		Instant now = this.clock.now();
		String text = (message != null) ? reason.tag() + ": " + truncate(message) : reason.tag();
		String id = (reason == SkipReason.STORE_UNAVAILABLE && fire.trigger != Trigger.MANUAL)
				? ExecutionIds.of(fire.scheduledTime.toEpochMilli(),
						fire.job.name + ((fire.forcedSkip != null) ? " missed" : " unavailable"))
				: fire.executionId;
		return new JobExecution(id, fire.job.name, fire.scheduledTime, now, now, ExecutionStatus.SKIPPED, 0, text,
				this.instanceId, fencingToken, fire.trigger);
	}

	/** Records a fire that did not run, and tells it. */
	void skipped(Fire fire, SkipReason reason, String message, long fencingToken) {
		JobExecution skipped = skippedExecution(fire, reason, message, fencingToken);
		record(skipped);
		notifySkipped(fire, skipped, reason);
	}

	/** Tells a fire that did not run, already recorded, and completes its future. */
	void notifySkipped(Fire fire, JobExecution skipped, SkipReason reason) {
		this.listener.onSkipped(skipped, reason);
		if (reason == SkipReason.STORE_UNAVAILABLE || reason == SkipReason.MISFIRE) {
			this.warnings.warn(logger, "skipped fires (" + reason.tag() + ")", skipped.job(),
					"Job '{}' skipped the fire at {}: {}", skipped.job(), skipped.scheduledTime(),
					skipped.errorMessage());
		}
		else if (logger.isDebugEnabled()) {
			logger.debug("Job '{}' skipped the fire at {}: {}", skipped.job(), skipped.scheduledTime(),
					skipped.errorMessage());
		}
		complete(fire, skipped);
	}

	/** Completes a manual run's future with what became of it. */
	static void complete(Fire fire, JobExecution execution) {
		if (fire.future != null) {
			fire.future.complete(execution);
		}
	}

	static String describe(Throwable error) {
		if (error == null) {
			return null;
		}
		return truncate(error.toString());
	}

	static String truncate(String text) {
		return (text.length() <= MESSAGE_LIMIT) ? text : text.substring(0, MESSAGE_LIMIT - 3) + "...";
	}

}
