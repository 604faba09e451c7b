package io.tickwork.engine;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.tickwork.JobExecution;
import io.tickwork.SkipReason;
import io.tickwork.lock.JobLock;
import io.tickwork.lock.Lease;

/**
 * Ends a fire's run: releases its lease with the finished execution, then, once the
 * release is written, records the execution, tells the listeners and hands the fire back
 * to its queue. Also ends a won fire that must not run (a forced skip, a shutdown)
 * without running it. Thread-safe.
 */
final class ReleaseStep implements Runner.Ending {

	private final JobLock lock;

	private final Dispatcher dispatcher;

	private final Recorder recorder;

	private final ActiveRuns runs;

	private final FireQueue fires;

	ReleaseStep(JobLock lock, Dispatcher dispatcher, Recorder recorder, ActiveRuns runs, FireQueue fires) {
		this.lock = lock;
		this.dispatcher = dispatcher;
		this.recorder = recorder;
		this.runs = runs;
		this.fires = fires;
	}

	@Override
	public void ended(Run run, JobExecution done, Throwable error) {
		CompletionStage<Boolean> release;
		try {
			release = this.lock.releaseAsync(run.lease, done);
		}
		catch (RuntimeException ex) {
			release = CompletableFuture.failedFuture(ex);
		}
		if (release instanceof CompletableFuture<Boolean> written && written.isDone()
				&& !written.isCompletedExceptionally()) {
			// written already (a store in memory): no stage to chain
			this.recorder.released(run.lease, done, written.join(), null);
			finished(run, done, error);
			return;
		}
		// the worker is free once the release is sent; the rest follows when it is written,
		// so that listeners and callers see the execution in the history
		Thread finishing = Thread.currentThread();
		release.whenComplete((held, failure) -> {
			Runnable rest = () -> {
				this.recorder.released(run.lease, done, held, failure);
				finished(run, done, error);
			};
			if (Thread.currentThread() == finishing) {
				rest.run();
			}
			else {
				this.dispatcher.follow(rest);
			}
		});
	}

	private void finished(Run run, JobExecution done, Throwable error) {
		this.recorder.finished(done, done.status(), error, done.errorMessage());
		synchronized (run.fire.job) {
			run.fire.job.running--;
		}
		this.runs.remove(run);
		Recorder.complete(run.fire, done);
		this.fires.ended(run.fire);
	}

	/** Ends a won fire that must not run: releases its lease and records it as skipped. */
	void skipWithLease(Fire fire, SkipReason reason, String message, Lease lease) {
		JobExecution skipped = this.recorder.skippedExecution(fire, reason, message, lease.fencingToken());
		try {
			this.recorder.released(lease, skipped, this.lock.release(lease, skipped), null);
		}
		catch (RuntimeException ex) {
			this.recorder.released(lease, skipped, null, ex);
		}
		if (!this.recorder.lockRecords()) {
			this.recorder.record(skipped);
		}
		this.recorder.notifySkipped(fire, skipped, reason);
		this.fires.ended(fire);
	}

}
