package io.tickwork.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import io.tickwork.ExecutionStatus;
import io.tickwork.JobDefinition;
import io.tickwork.JobExecution;
import io.tickwork.schedule.Durations;

/**
 * Does one run, whatever claimed it: its attempts on workers, each with its deadline
 * (interrupted at expiry), retries with backoff that wait without a worker, and the end
 * (succeeded, failed, timed out, interrupted), which it hands to its {@link Ending}. It
 * knows nothing of where the run came from. Thread-safe.
 */
final class Runner {

	private static final Logger logger = LoggerFactory.getLogger(Runner.class);

	private final EngineClock clock;

	private final Lifecycle lifecycle;

	private final Ticker ticker;

	private final Dispatcher dispatcher;

	private final Recorder recorder;

	private final ActiveRuns runs;

	private final Ending ending;

	Runner(EngineClock clock, Lifecycle lifecycle, Ticker ticker, Dispatcher dispatcher, Recorder recorder,
			ActiveRuns runs, Ending ending) {
		this.clock = clock;
		this.lifecycle = lifecycle;
		this.ticker = ticker;
		this.dispatcher = dispatcher;
		this.recorder = recorder;
		this.runs = runs;
		this.ending = ending;
	}

	/** Starts a run on the calling worker: records it as running and runs its first attempt. */
	void run(Run run) {
		this.runs.add(run);
		this.recorder.started(run.started);
		attempt(run);
	}

	private void attempt(Run run) {
		JobDefinition definition = run.definition();
		int attempt = ++run.attempts;
		if (run.stopCause != null) {
			finish(run, ExecutionStatus.INTERRUPTED, null, run.stopCause);
			return;
		}
		if (!this.lifecycle.isRunning() && attempt > 1) {
			run.stop("shutdown before attempt " + attempt);
			finish(run, ExecutionStatus.INTERRUPTED, null, run.stopCause);
			return;
		}
		Duration timeout = definition.timeout();
		Instant deadline = (timeout != null) ? this.clock.now().plus(timeout) : null;
		Timer deadlineTimer = (deadline != null) ? this.ticker.schedule(deadline, () -> timeOut(run, attempt)) : null;
		Throwable error = null;
		MDC.put("job", run.started.job());
		MDC.put("execution", run.started.id());
		run.attach(Thread.currentThread(), attempt);
		try {
			definition.task().run(run.context(attempt, deadline));
		}
		catch (Throwable ex) {
			error = ex;
		}
		finally {
			run.detach();
			Thread.interrupted();
			Ticker.cancel(deadlineTimer);
		}
		try {
			afterAttempt(run, attempt, error, timeout);
		}
		finally {
			MDC.remove("job");
			MDC.remove("execution");
		}
	}

	private void timeOut(Run run, int attempt) {
		if (!run.finished.get() && run.attempts == attempt) {
			logger.warn("Job '{}' execution {} attempt {} timed out after {}; interrupting it", run.started.job(),
					run.started.id(), attempt, Durations.format(run.definition().timeout()));
			run.timeOut(attempt);
		}
	}

	private void afterAttempt(Run run, int attempt, Throwable error, Duration timeout) {
		Instant validUntil = run.lockValidUntil;
		if (run.stopCause == null && validUntil != null && this.clock.now().isAfter(validUntil)) {
			// the instance stalled (or could not renew) past the lock's expiry before the
			// keeper could tell: another instance may have run the next fire meanwhile
			String cause = "lock lost: it expired at " + validUntil + " before the attempt ended";
			logger.error("Job '{}' execution {}: {}", run.started.job(), run.started.id(), cause);
			run.stop(cause);
			finish(run, ExecutionStatus.INTERRUPTED, error, cause);
			return;
		}
		int maxAttempts = run.definition().retry().maxAttempts();
		boolean retryable = attempt < maxAttempts && run.stopCause == null && this.lifecycle.isRunning()
				&& !(error instanceof VirtualMachineError);
		if (run.timedOutAttempt == attempt) {
			String message = "timed out after " + Durations.format(timeout);
			if (retryable) {
				retry(run, attempt, new TimeoutException(message));
			}
			else {
				finish(run, ExecutionStatus.TIMED_OUT, error, message);
			}
		}
		else if (run.stopCause != null) {
			finish(run, ExecutionStatus.INTERRUPTED, error, run.stopCause);
		}
		else if (error == null) {
			finish(run, ExecutionStatus.SUCCEEDED, null, null);
		}
		else if (retryable) {
			retry(run, attempt, error);
		}
		else {
			finish(run, ExecutionStatus.FAILED, error, null);
		}
	}

	private void retry(Run run, int attempt, Throwable error) {
		Duration delay = run.definition().retry().delayAfter(attempt, ThreadLocalRandom.current().nextDouble());
		String described = Recorder.describe(error);
		JobExecution snapshot = run.started.finish(ExecutionStatus.RUNNING, null, attempt, described);
		logger.warn("Job '{}' execution {} attempt {} failed: {}; retrying in {}", run.started.job(),
				run.started.id(), attempt, described, Durations.format(delay));
		this.recorder.retrying(snapshot, error, delay);
		Runnable next = () -> this.dispatcher.submit(() -> attempt(run),
				(ex) -> finish(run, ExecutionStatus.INTERRUPTED, error, "shutdown before attempt " + (attempt + 1)));
		Timer timer = this.ticker.schedule(this.clock.now().plus(delay), next);
		run.retryTimer = timer;
		// finish() sets finished before it reads the timer: one of the two cancels it
		if (run.finished.get()) {
			Ticker.cancel(timer);
		}
	}

	/** The run's lease is lost: it is stopped, and ended now if it waits for a retry. */
	void lockLost(Run run, String cause) {
		logger.error("Job '{}' execution {}: {}; interrupting it", run.started.job(), run.started.id(), cause);
		run.stop(cause);
		if (run.isBetweenAttempts()) {
			Ticker.cancel(run.retryTimer);
			finish(run, ExecutionStatus.INTERRUPTED, null, cause);
		}
	}

	/** Ends a run once, whoever asks first, and hands it to the ending. */
	void finish(Run run, ExecutionStatus status, Throwable error, String message) {
		if (!run.finished.compareAndSet(false, true)) {
			return;
		}
		// no timer lock: retry() sets the timer before it reads finished
		Ticker.cancel(run.retryTimer);
		String text = (message != null) ? Recorder.truncate(message) : Recorder.describe(error);
		JobExecution done = run.started.finish(status, this.clock.now(), run.attempts, text);
		Map<String, String> metadata = run.metadata();
		if (!metadata.isEmpty()) {
			done = done.withMetadata(metadata);
		}
		this.ending.ended(run, done, error);
	}

	/** What becomes of a run once it ended: its lease released, its record written. */
	interface Ending {

		/**
		 * A run ended.
		 * @param run the run
		 * @param done its finished execution
		 * @param error what its last attempt threw, or {@code null}
		 */
		void ended(Run run, JobExecution done, Throwable error);

	}

}
