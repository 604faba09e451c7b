package io.tickwork.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ThreadLocalRandom;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tickwork.ExecutionStatus;
import io.tickwork.JobExecution;
import io.tickwork.QueuedJob;
import io.tickwork.QueuedJob.Status;
import io.tickwork.schedule.Durations;

/**
 * How an attempt of a queued job ends: its record in the history, its listeners, and its
 * end in the store (succeeded with the next claim, retried later, dead letter, or given
 * back at shutdown); and the record of an attempt abandoned by a dead instance.
 */
final class AttemptEnds {

	private static final Logger logger = LoggerFactory.getLogger(AttemptEnds.class);

	private static final int MESSAGE_LIMIT = 2000;

	private final QueueEngine engine;

	private final HandlerDefinition handler;

	private final String type;

	private final Queue<QueuedJob> acks;

	AttemptEnds(QueueEngine engine, HandlerDefinition handler, Queue<QueuedJob> acks) {
		this.engine = engine;
		this.handler = handler;
		this.type = handler.type();
		this.acks = acks;
	}

	/** Ends an attempt; what the store throws is left to the caller. */
	void end(Attempt attempt, Throwable error, boolean unreadable, Instant now) {
		QueuedJob job = attempt.job;
		if (attempt.leaseLost) {
			record(attempt, ExecutionStatus.INTERRUPTED, attempt.stopCause, now);
			this.engine.listener.onInterrupted(done(attempt, ExecutionStatus.INTERRUPTED, attempt.stopCause, now));
		}
		else if (attempt.shutdown && !attempt.timedOut) {
			String cause = "shutdown: given back to the queue, attempt not counted";
			this.engine.store.release(this.type, job.id(), job.fencingToken());
			JobExecution done = record(attempt, ExecutionStatus.INTERRUPTED, cause, now);
			this.engine.listener.onInterrupted(done);
		}
		else if (error == null && !attempt.timedOut) {
			// the next claim of this type ends it in the store, in the same round trip
			this.acks.add(job);
			JobExecution done = record(attempt, ExecutionStatus.SUCCEEDED, null, now);
			this.engine.listener.onSucceeded(done);
		}
		else {
			failed(attempt, error, unreadable, now);
		}
	}

	private void failed(Attempt attempt, Throwable error, boolean unreadable, Instant now) {
		QueuedJob job = attempt.job;
		ExecutionStatus status = attempt.timedOut ? ExecutionStatus.TIMED_OUT : ExecutionStatus.FAILED;
		String message = attempt.timedOut ? attempt.stopCause : describe(error);
		int maxAttempts = (job.maxAttempts() > 0) ? job.maxAttempts() : this.handler.retry().maxAttempts();
		if (!unreadable && job.attempts() < maxAttempts) {
			// during shutdown too: the retry waits in the store, for any instance
			Duration delay = this.handler.retry().delayAfter(job.attempts(), ThreadLocalRandom.current().nextDouble());
			boolean held = this.engine.store.retry(this.type, job.id(), job.fencingToken(),
					now.plus(delay).truncatedTo(java.time.temporal.ChronoUnit.MILLIS), message);
			logger.warn("Queued job '{}' {} attempt {} failed: {}; {}", this.type, job.id(), job.attempts(), message,
					held ? "retrying in " + Durations.format(delay) : "its lease was lost, so its end is not recorded");
			JobExecution done = record(attempt, status, message, now);
			this.engine.listener.onRetrying(done, (error != null) ? error : new java.util.concurrent.TimeoutException(
					message), delay);
			return;
		}
		QueueSettings settings = this.engine.settings(this.type);
		boolean held = this.engine.store.bury(this.type, job.id(), job.fencingToken(), now, message,
				settings.deadLetterMax());
		logger.error("Queued job '{}' {} failed on attempt {} of {}: {}; {}", this.type, job.id(), job.attempts(),
				maxAttempts, message, held ? "moved to the dead letter" : "but its lease was lost");
		JobExecution done = record(attempt, status, message, now);
		if (attempt.timedOut) {
			this.engine.listener.onTimedOut(done);
		}
		else {
			this.engine.listener.onFailed(done, error);
		}
		if (held) {
			this.engine.observer.deadLettered(this.type);
			this.engine.outcomes.ended(finished(job, Status.DEAD, now, message));
		}
	}

	/** A job whose lease expired with its instance: its attempt is recorded ABANDONED. */
	void abandoned(QueuedJob lost, Instant now) {
		JobExecution done = new JobExecution(lost.id() + "#" + lost.fencingToken(), QueueEngine.historyName(this.type),
				lost.scheduledAt(), (lost.startedAt() != null) ? lost.startedAt() : now, now,
				ExecutionStatus.ABANDONED, lost.attempts(), truncate(lost.lastError()),
				(lost.instance() != null) ? lost.instance() : "unknown", lost.fencingToken(),
				JobExecution.Trigger.QUEUE);
		logger.warn("Queued job '{}' {}: {}; {}", this.type, lost.id(), lost.lastError(),
				(lost.status() == Status.DEAD) ? "no attempt left, moved to the dead letter" : "delivered again");
		this.engine.history.recordWithoutWaiting(done);
		this.engine.listener.onInterrupted(done);
		if (lost.status() == Status.DEAD) {
			this.engine.observer.deadLettered(this.type);
			this.engine.outcomes.ended(lost);
		}
	}

	private JobExecution record(Attempt attempt, ExecutionStatus status, String message, Instant now) {
		JobExecution done = done(attempt, status, message, now);
		this.engine.history.recordWithoutWaiting(done);
		return done;
	}

	private JobExecution done(Attempt attempt, ExecutionStatus status, String message, Instant now) {
		JobExecution done = attempt.started.finish(status, now, attempt.job.attempts(), truncate(message));
		Map<String, String> metadata = attempt.metadata().snapshot();
		return metadata.isEmpty() ? done : done.withMetadata(metadata);
	}

	static QueuedJob finished(QueuedJob job, Status status, Instant now, String error) {
		return new QueuedJob(job.id(), job.type(), status, job.payload(), job.payloadType(), job.priority(),
				job.attempts(), job.maxAttempts(), job.timeout(), job.createdAt(), job.scheduledAt(), job.startedAt(),
				now, error, job.instance(), job.fencingToken());
	}

	static String describe(Throwable error) {
		return (error != null) ? truncate(error.toString()) : null;
	}

	static String truncate(String text) {
		return (text == null || text.length() <= MESSAGE_LIMIT) ? text : text.substring(0, MESSAGE_LIMIT - 3) + "...";
	}

}
