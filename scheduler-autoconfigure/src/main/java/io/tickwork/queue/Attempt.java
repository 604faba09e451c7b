package io.tickwork.queue;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;

import io.tickwork.JobContext;
import io.tickwork.JobExecution;
import io.tickwork.QueuedJob;
import io.tickwork.engine.ExecutionMetadata;

/**
 * One delivery of a queued job on this instance, from its claim to its end, and what its
 * handler sees of it. Thread-safe.
 */
final class Attempt implements JobContext {

	final QueuedJob job;

	final JobExecution started;

	final Instant deadline;

	/** Why the attempt must stop (timeout, shutdown, lease lost); {@code null} if it need not. */
	volatile String stopCause;

	volatile boolean timedOut;

	volatile boolean shutdown;

	volatile boolean leaseLost;

	/** Until when the lease is known to hold. */
	volatile Instant validUntil;

	volatile ScheduledFuture<?> deadlineTimer;

	private final ExecutionMetadata metadata = new ExecutionMetadata();

	/** Guarded by this. */
	private Thread thread;

	Attempt(QueuedJob job, JobExecution started, Instant deadline, Instant validUntil) {
		this.job = job;
		this.started = started;
		this.deadline = deadline;
		this.validUntil = validUntil;
	}

	synchronized void attach(Thread thread) {
		this.thread = thread;
		if (this.stopCause != null) {
			thread.interrupt();
		}
	}

	synchronized void detach() {
		this.thread = null;
	}

	/** Stops the attempt: the handler sees {@link #isCancelled()} and its thread is interrupted. */
	synchronized void stop(String cause) {
		if (this.stopCause == null) {
			this.stopCause = cause;
		}
		if (this.thread != null) {
			this.thread.interrupt();
		}
	}

	@Override
	public String jobName() {
		return this.job.type();
	}

	@Override
	public String executionId() {
		return this.started.id();
	}

	@Override
	public String jobId() {
		return this.job.id();
	}

	@Override
	public Instant scheduledTime() {
		return this.job.scheduledAt();
	}

	@Override
	public int attempt() {
		return this.job.attempts();
	}

	@Override
	public long fencingToken() {
		return this.job.fencingToken();
	}

	@Override
	public JobExecution.Trigger trigger() {
		return JobExecution.Trigger.QUEUE;
	}

	@Override
	public Optional<Instant> deadline() {
		return Optional.ofNullable(this.deadline);
	}

	@Override
	public boolean isCancelled() {
		return this.stopCause != null;
	}

	@Override
	public void put(String key, Object value) {
		this.metadata.put(this.started, key, value);
	}

	ExecutionMetadata metadata() {
		return this.metadata;
	}

	@Override
	public String toString() {
		return "job '" + this.job.type() + "' " + this.job.id() + " attempt " + this.job.attempts();
	}

}
