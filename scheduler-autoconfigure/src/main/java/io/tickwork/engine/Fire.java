package io.tickwork.engine;

import java.time.Instant;

import io.tickwork.JobExecution.Trigger;
import io.tickwork.JobRun;
import io.tickwork.SkipReason;
import io.tickwork.lock.ClaimRequest;

/**
 * One fire of a job on its way through the engine: scheduled, claimed, run or skipped.
 */
final class Fire {

	final Job job;

	final Instant scheduledTime;

	final Trigger trigger;

	final String executionId;

	/** Completed when the fire ends; only for manual runs. */
	final JobRun future;

	/** When set, a won claim is recorded as skipped with this reason instead of run. */
	final SkipReason forcedSkip;

	final String forcedMessage;

	/** Whether this fire was already consumed by an earlier claim that found the lock held. */
	final boolean reclaim;

	/** Whether this fire is a replayed missed fire that must not queue behind itself. */
	final boolean fromBacklog;

	/** The missed fires that this fire's record stands for, claimed with it; or null. */
	final ClaimRequest.Missed missed;

	/**
	 * The job's next fire time, armed once this fire leaves the dispatch queue, so that a
	 * job never has more than one scheduled fire waiting for a worker.
	 */
	volatile Instant armsNext;

	/**
	 * Whether this fire is a question of an instance on standby whose next fire is armed
	 * on the answer, not as it leaves the dispatch queue: the answer sets how long the
	 * standby waits, so that one question is in flight per job at a time and the next
	 * comes no sooner than that.
	 */
	volatile boolean armsOnAnswer;

	Fire(Job job, Instant scheduledTime, Trigger trigger, String executionId, JobRun future, SkipReason forcedSkip,
			String forcedMessage, boolean reclaim, boolean fromBacklog) {
		this(job, scheduledTime, trigger, executionId, future, forcedSkip, forcedMessage, reclaim, fromBacklog, null);
	}

	Fire(Job job, Instant scheduledTime, Trigger trigger, String executionId, JobRun future, SkipReason forcedSkip,
			String forcedMessage, boolean reclaim, boolean fromBacklog, ClaimRequest.Missed missed) {
		this.job = job;
		this.scheduledTime = scheduledTime;
		this.trigger = trigger;
		this.executionId = executionId;
		this.future = future;
		this.forcedSkip = forcedSkip;
		this.forcedMessage = forcedMessage;
		this.reclaim = reclaim;
		this.fromBacklog = fromBacklog;
		this.missed = missed;
	}

	Fire asReclaim() {
		return new Fire(this.job, this.scheduledTime, this.trigger, this.executionId, this.future, null, null, true,
				this.fromBacklog);
	}

}
