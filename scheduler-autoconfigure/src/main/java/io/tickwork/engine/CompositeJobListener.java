package io.tickwork.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tickwork.ClaimOutcome;
import io.tickwork.JobExecution;
import io.tickwork.JobListener;
import io.tickwork.SkipReason;

/**
 * Calls several {@link JobListener}s in order; what one throws is logged and does not
 * keep the others from being called. Thread-safe if the listeners are.
 *
 * @author Tickwork team
 * @since 0.1.0
 */
public final class CompositeJobListener implements JobListener {

	private static final Logger logger = LoggerFactory.getLogger(CompositeJobListener.class);

	private final JobListener[] listeners;

	/**
	 * Creates a new instance.
	 * @param listeners the listeners, called in this order
	 */
	public CompositeJobListener(List<? extends JobListener> listeners) {
		this.listeners = listeners.toArray(new JobListener[0]);
	}

	@Override
	public void onClaim(String job, Instant scheduledTime, ClaimOutcome outcome) {
		// the events of every fire loop in place: a lambda per call would be garbage per fire
		for (JobListener listener : this.listeners) {
			try {
				listener.onClaim(job, scheduledTime, outcome);
			}
			catch (Throwable ex) {
				failed(listener, ex);
			}
		}
	}

	@Override
	public void onStarted(JobExecution execution) {
		for (JobListener listener : this.listeners) {
			try {
				listener.onStarted(execution);
			}
			catch (Throwable ex) {
				failed(listener, ex);
			}
		}
	}

	@Override
	public void onRetrying(JobExecution execution, Throwable error, Duration delay) {
		each((listener) -> listener.onRetrying(execution, error, delay));
	}

	@Override
	public void onSucceeded(JobExecution execution) {
		for (JobListener listener : this.listeners) {
			try {
				listener.onSucceeded(execution);
			}
			catch (Throwable ex) {
				failed(listener, ex);
			}
		}
	}

	@Override
	public void onFailed(JobExecution execution, Throwable error) {
		each((listener) -> listener.onFailed(execution, error));
	}

	@Override
	public void onTimedOut(JobExecution execution) {
		each((listener) -> listener.onTimedOut(execution));
	}

	@Override
	public void onInterrupted(JobExecution execution) {
		each((listener) -> listener.onInterrupted(execution));
	}

	@Override
	public void onSkipped(JobExecution execution, SkipReason reason) {
		each((listener) -> listener.onSkipped(execution, reason));
	}

	private void each(Consumer<JobListener> call) {
		for (JobListener listener : this.listeners) {
			try {
				call.accept(listener);
			}
			catch (Throwable ex) {
				failed(listener, ex);
			}
		}
	}

	private static void failed(JobListener listener, Throwable ex) {
		logger.warn("Job listener {} failed", listener, ex);
	}

}
