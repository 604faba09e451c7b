package io.tickwork.engine;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import io.tickwork.JobContext;
import io.tickwork.JobDefinition;
import io.tickwork.JobExecution;
import io.tickwork.JobExecution.Trigger;
import io.tickwork.lock.Lease;

/**
 * An execution that holds a claim on this instance, from the won claim to its record,
 * across all its attempts.
 */
final class Run {

	final Fire fire;

	final Lease lease;

	final JobExecution started;

	final AtomicBoolean finished = new AtomicBoolean();

	volatile int attempts;

	/** Why the whole execution must stop (shutdown, lock lost); {@code null} if it need not. */
	volatile String stopCause;

	volatile int timedOutAttempt;

	volatile Instant lockValidUntil;

	/** When the lease is next due for renewal; {@code null} while a renewal is under way. */
	volatile Instant nextRenewal;

	/**
	 * The timer of the next attempt, if one is waiting. Set before {@link #finished} is
	 * read, and read after it is set, so that one side always cancels it.
	 */
	volatile Timer retryTimer;

	/** What the job kept with the execution. */
	private final ExecutionMetadata metadata = new ExecutionMetadata();

	/** Guarded by this. */
	private Thread thread;

	/** Guarded by this. */
	private int threadAttempt;

	Run(Fire fire, Lease lease, JobExecution started) {
		this.fire = fire;
		this.lease = lease;
		this.started = started;
	}

	/** The definition of the job this run belongs to: its task, timeout and retry. */
	JobDefinition definition() {
		return this.fire.job.definition;
	}

	synchronized void attach(Thread thread, int attempt) {
		this.thread = thread;
		this.threadAttempt = attempt;
		if (this.stopCause != null) {
			thread.interrupt();
		}
	}

	synchronized void detach() {
		this.thread = null;
	}

	synchronized boolean isBetweenAttempts() {
		return this.thread == null;
	}

	/**
	 * Marks an attempt as timed out and interrupts it if it still runs.
	 */
	synchronized void timeOut(int attempt) {
		this.timedOutAttempt = attempt;
		if (this.thread != null && this.threadAttempt == attempt) {
			this.thread.interrupt();
		}
	}

	/**
	 * Asks the whole execution to stop and interrupts its running attempt.
	 */
	synchronized void stop(String cause) {
		if (this.stopCause == null) {
			this.stopCause = cause;
		}
		if (this.thread != null) {
			this.thread.interrupt();
		}
	}

	/** The metadata the job kept so far. */
	Map<String, String> metadata() {
		return this.metadata.snapshot();
	}

	void put(String key, Object value) {
		this.metadata.put(this.started, key, value);
	}

	JobContext context(int attempt, Instant deadline) {
		return new AttemptContext(attempt, deadline);
	}

	/** What one attempt sees of its execution. */
	private final class AttemptContext implements JobContext {

		private final int attempt;

		private final Instant deadline;

		AttemptContext(int attempt, Instant deadline) {
			this.attempt = attempt;
			this.deadline = deadline;
		}

		@Override
		public String jobName() {
			return Run.this.started.job();
		}

		@Override
		public String executionId() {
			return Run.this.started.id();
		}

		@Override
		public Instant scheduledTime() {
			return Run.this.started.scheduledTime();
		}

		@Override
		public int attempt() {
			return this.attempt;
		}

		@Override
		public long fencingToken() {
			return Run.this.lease.fencingToken();
		}

		@Override
		public Trigger trigger() {
			return Run.this.started.trigger();
		}

		@Override
		public Optional<Instant> deadline() {
			return Optional.ofNullable(this.deadline);
		}

		@Override
		public boolean isCancelled() {
			return Run.this.stopCause != null || Run.this.timedOutAttempt == this.attempt;
		}

		@Override
		public void put(String key, Object value) {
			Run.this.put(key, value);
		}

		@Override
		public String toString() {
			return "JobContext[" + jobName() + ", execution " + executionId() + ", attempt " + this.attempt + "]";
		}

	}

}
