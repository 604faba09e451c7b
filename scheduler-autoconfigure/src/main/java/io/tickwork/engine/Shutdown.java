package io.tickwork.engine;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tickwork.ExecutionStatus;
import io.tickwork.schedule.Durations;

/**
 * Winds the engine down once it stops taking fires: drops what waits for a worker or a
 * lock, ends runs waiting for a retry, lets running ones end within the shutdown timeout,
 * then interrupts them and records them as interrupted. Used by one stop at a time.
 */
final class Shutdown {

	private static final Logger logger = LoggerFactory.getLogger(Shutdown.class);

	private final Dispatcher dispatcher;

	private final FireQueue fires;

	private final ActiveRuns runs;

	private final Runner runner;

	private final Duration timeout;

	Shutdown(Dispatcher dispatcher, FireQueue fires, ActiveRuns runs, Runner runner, Duration timeout) {
		this.dispatcher = dispatcher;
		this.fires = fires;
		this.runs = runs;
		this.runner = runner;
		this.timeout = timeout;
	}

	/**
	 * Drains the engine, which no longer takes fires.
	 * @param jobs the registered jobs, whose fires waiting for their lock are dropped
	 */
	void drain(Iterable<Job> jobs) {
		this.dispatcher.clear((onRejected) -> onRejected.accept(new RejectedExecutionException("shutdown")));
		for (Job job : jobs) {
			this.fires.dropPendingOnStop(job);
		}
		for (Run run : this.runs) {
			if (run.isBetweenAttempts()) {
				run.stop("shutdown before the next attempt");
				this.runner.finish(run, ExecutionStatus.INTERRUPTED, null,
						"shutdown before attempt " + (run.attempts + 1));
			}
		}
		if (this.runs.size() > 0) {
			logger.info("Tickwork waits up to {} (shutdown timeout) for {} running execution(s) to end, then "
					+ "interrupts them", Durations.format(this.timeout), this.runs.size());
		}
		if (!this.runs.await(this.timeout)) {
			logger.warn("Interrupting {} execution(s) still running after {}", this.runs.size(),
					Durations.format(this.timeout));
			for (Run run : this.runs) {
				run.stop("shutdown");
			}
			if (!this.runs.await(Duration.ofSeconds(1))) {
				for (Run run : this.runs) {
					this.runner.finish(run, ExecutionStatus.INTERRUPTED, null, "shutdown; the job ignored interruption");
				}
			}
		}
	}

}
