package io.tickwork.queue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tickwork.QueuedJob;
import io.tickwork.schedule.Durations;

/**
 * Runs one attempt of a queued job on the calling worker: reads its payload, arms its
 * deadline (the attempt is interrupted at expiry), calls the handler, and hands the
 * outcome to {@link AttemptEnds}.
 */
final class AttemptRunner {

	private static final Logger logger = LoggerFactory.getLogger(AttemptRunner.class);

	private final QueueEngine engine;

	private final HandlerDefinition handler;

	private final String type;

	private final AttemptEnds ends;

	private final Predicate<Attempt> active;

	private final BiConsumer<String, RuntimeException> failure;

	AttemptRunner(QueueEngine engine, HandlerDefinition handler, AttemptEnds ends, Predicate<Attempt> active,
			BiConsumer<String, RuntimeException> failure) {
		this.engine = engine;
		this.handler = handler;
		this.type = handler.type();
		this.ends = ends;
		this.active = active;
		this.failure = failure;
	}

	void run(Attempt attempt) {
		QueuedJob job = attempt.job;
		Throwable error = null;
		boolean unreadable = false;
		try {
			Duration wait = Duration.between(job.scheduledAt(), attempt.started.startedAt());
			this.engine.observer.waited(this.type, wait.isNegative() ? Duration.ZERO : wait);
			this.engine.listener.onStarted(attempt.started);
			Object payload = null;
			if (this.handler.payloadType() != null && job.payload() != null) {
				try {
					payload = this.engine.codec.read(job.payload(), this.handler.payloadType());
				}
				catch (RuntimeException ex) {
					unreadable = true;
					throw new IllegalArgumentException("payload cannot be read as "
							+ this.handler.payloadType().getTypeName() + ": " + ex.getMessage(), ex);
				}
			}
			if (attempt.deadline != null) {
				long delay = Math.max(0, Duration.between(this.engine.clock.instant(), attempt.deadline).toNanos());
				attempt.deadlineTimer = this.engine.timer.schedule(() -> timeOut(attempt), delay,
						TimeUnit.NANOSECONDS);
			}
			attempt.attach(Thread.currentThread());
			try {
				this.handler.invoker().invoke(payload, attempt);
			}
			finally {
				attempt.detach();
				Thread.interrupted();
			}
		}
		catch (Throwable ex) {
			error = ex;
		}
		end(attempt, error, unreadable);
	}

	private void timeOut(Attempt attempt) {
		if (this.active.test(attempt)) {
			Duration timeout = Duration.between(attempt.started.startedAt(), attempt.deadline);
			logger.warn("Queued job '{}' {} attempt {} timed out after {}; interrupting it", this.type, attempt.job.id(),
					attempt.job.attempts(), Durations.format(timeout));
			attempt.timedOut = true;
			attempt.stop("timed out after " + Durations.format(timeout));
		}
	}

	private void end(Attempt attempt, Throwable error, boolean unreadable) {
		if (attempt.deadlineTimer != null) {
			attempt.deadlineTimer.cancel(false);
		}
		Instant now = this.engine.clock.instant().truncatedTo(ChronoUnit.MILLIS);
		if (!attempt.leaseLost && attempt.validUntil.isBefore(now)) {
			attempt.leaseLost = true;
			attempt.stopCause = "lease lost: it expired at " + attempt.validUntil + " before the attempt ended";
		}
		try {
			this.ends.end(attempt, error, unreadable, now);
		}
		catch (RuntimeException ex) {
			this.failure.accept("end job " + attempt.job.id() + " (its lease will expire and it will be delivered again)",
					ex);
		}
	}

}
