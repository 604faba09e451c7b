package io.tickwork.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tickwork.lock.JobLock;
import io.tickwork.schedule.Durations;

/**
 * Keeps the leases of running executions alive: the ticker asks it on each tick which
 * renewals are due, and it renews them on the keeper thread every third of the lock's
 * time to live; a lease that could not be renewed before it expired is lost, and its
 * run is told. Thread-safe.
 */
final class LeaseKeeper {

	private static final Logger logger = LoggerFactory.getLogger(LeaseKeeper.class);

	private final EngineClock clock;

	private final JobLock lock;

	private final ActiveRuns runs;

	private final Executor keeper;

	private final Duration lockTtl;

	private final Duration renewalInterval;

	/** Told when a run's lease is lost, with the cause. */
	private final BiConsumer<Run, String> onLost;

	/** Told when a renewal set a new due time, so that the ticker looks again. */
	private final Runnable onRenewed;

	LeaseKeeper(EngineClock clock, JobLock lock, ActiveRuns runs, Executor keeper, Duration lockTtl,
			Duration renewalInterval, BiConsumer<Run, String> onLost, Runnable onRenewed) {
		this.clock = clock;
		this.lock = lock;
		this.runs = runs;
		this.keeper = keeper;
		this.lockTtl = lockTtl;
		this.renewalInterval = renewalInterval;
		this.onLost = onLost;
		this.onRenewed = onRenewed;
	}

	/**
	 * A thread for the keeper's work (renewals, maintenance), which ends when idle.
	 * @return the executor
	 */
	static ThreadPoolExecutor newKeeperThread() {
		ThreadPoolExecutor keeper = new ThreadPoolExecutor(1, 1, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
				(runnable) -> {
					Thread thread = new Thread(runnable, "tickwork-keeper");
					thread.setDaemon(true);
					return thread;
				});
		keeper.allowCoreThreadTimeOut(true);
		return keeper;
	}

	/**
	 * Starts keeping a run's lease, if it is exclusive.
	 * @param claimedAt when the claim was sent: the lease is reckoned from it
	 */
	void track(Run run, Instant claimedAt) {
		if (run.lease.exclusive()) {
			run.lockValidUntil = claimedAt.plus(this.lockTtl);
			run.nextRenewal = claimedAt.plus(this.renewalInterval);
		}
	}

	/**
	 * Hands the leases due for renewal to the keeper thread. Running executions are few
	 * and most end long before their first renewal, so sweeping them on each tick costs
	 * less than a timer per execution.
	 */
	void renewDue(Instant now) {
		for (Run run : this.runs) {
			Instant due = run.nextRenewal;
			if (due != null && !due.isAfter(now) && !run.finished.get()) {
				run.nextRenewal = null;
				renewSoon(run);
			}
		}
	}

	/** When the earliest lease renewal is due, or {@code null} if none is. */
	Instant nextRenewal() {
		Instant earliest = null;
		for (Run run : this.runs) {
			Instant due = run.nextRenewal;
			if (due != null && (earliest == null || due.isBefore(earliest))) {
				earliest = due;
			}
		}
		return earliest;
	}

	private void renewSoon(Run run) {
		try {
			this.keeper.execute(() -> renew(run));
		}
		catch (RejectedExecutionException ex) {
			renew(run);
		}
	}

	/** Sends a renewal without waiting for it: a store node that does not answer holds up no other. */
	private void renew(Run run) {
		if (run.finished.get()) {
			return;
		}
		// the lease is reckoned from when the renewal was sent
		Instant now = this.clock.now();
		CompletionStage<Boolean> extended;
		try {
			extended = this.lock.extendAsync(run.lease, this.lockTtl);
		}
		catch (RuntimeException ex) {
			extended = CompletableFuture.failedFuture(ex);
		}
		extended.whenComplete((held, failure) -> renewed(run, now, held, failure));
	}

	private void renewed(Run run, Instant sent, Boolean held, Throwable failure) {
		if (failure == null && Boolean.TRUE.equals(held)) {
			run.lockValidUntil = sent.plus(this.lockTtl);
			run.nextRenewal = sent.plus(this.renewalInterval);
		}
		else if (failure == null) {
			this.onLost.accept(run, "lock lost: another holder took it or it expired");
		}
		else {
			Throwable cause = (failure instanceof CompletionException && failure.getCause() != null)
					? failure.getCause() : failure;
			Instant now = this.clock.now();
			if (!now.isBefore(run.lockValidUntil)) {
				this.onLost.accept(run,
						"lock lost: the store could not be reached before the lock expired (" + cause + ")");
			}
			else {
				Duration left = Duration.between(now, run.lockValidUntil);
				logger.warn("Job '{}' could not extend its lock ({}); retrying, {} left", run.started.job(),
						cause.toString(), Durations.format(left));
				run.nextRenewal = now.plus(left.dividedBy(2).compareTo(Duration.ofMillis(100)) < 0 ? left
						: left.dividedBy(2));
			}
		}
		this.onRenewed.run();
	}

}
