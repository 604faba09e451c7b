package io.tickwork.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.locks.LockSupport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tickwork.ClaimOutcome;
import io.tickwork.ExecutionStatus;
import io.tickwork.JobDefinition;
import io.tickwork.JobExecution;
import io.tickwork.JobExecution.Trigger;
import io.tickwork.Overlap;
import io.tickwork.SkipReason;
import io.tickwork.lock.Claim;
import io.tickwork.lock.ClaimRequest;
import io.tickwork.lock.JobLock;
import io.tickwork.lock.Lease;
import io.tickwork.schedule.Schedule;
import io.tickwork.state.JobStateStore;

/**
 * Claims a fire and acts on the answer: sends the claim without holding a worker, then,
 * on a worker, records the fire as skipped (paused, locked, store unavailable), lets it
 * wait for the job's lock, or, once a fire won ahead of its time is due, starts its run.
 * Thread-safe.
 */
final class ClaimStep {

	private static final Logger logger = LoggerFactory.getLogger(ClaimStep.class);

	private static final String SHUTTING_DOWN = "the scheduler is shutting down";

	private final EngineClock clock;

	private final Lifecycle lifecycle;

	private final JobLock lock;

	private final Dispatcher dispatcher;

	private final ActiveRuns runs;

	private final Recorder recorder;

	private final FireQueue fires;

	private final ReleaseStep releases;

	private final LeaseKeeper leases;

	private final Runner runner;

	private final String instanceId;

	private final Duration lockTtl;

	private final long startLeadNanos;

	private final EngineSettings settings;

	ClaimStep(EngineClock clock, Lifecycle lifecycle, JobLock lock, Dispatcher dispatcher, ActiveRuns runs,
			Recorder recorder, FireQueue fires, ReleaseStep releases, LeaseKeeper leases, Runner runner,
			EngineSettings settings) {
		this.clock = clock;
		this.lifecycle = lifecycle;
		this.lock = lock;
		this.dispatcher = dispatcher;
		this.runs = runs;
		this.recorder = recorder;
		this.fires = fires;
		this.releases = releases;
		this.leases = leases;
		this.runner = runner;
		this.instanceId = settings.instanceId();
		this.lockTtl = settings.lockTtl();
		this.startLeadNanos = settings.startLeadNanos();
		this.settings = settings;
	}

	/**
	 * Sends the fire's claim without waiting for it; the answer is handled on a worker.
	 * Until then the claim counts as unsettled, which a stop waits for.
	 */
	CompletionStage<Dispatcher.Task> claim(Fire fire) {
		Job job = fire.job;
		JobDefinition definition = job.definition;
		Instant now = this.clock.now();
		this.runs.claimSent();
		CompletionStage<Claim> claim;
		try {
			// a fire that is only to be recorded claims the fire, not the job's lock
			boolean exclusive = definition.overlap() != Overlap.ALLOW && fire.forcedSkip == null;
			claim = this.lock.claimAsync(new ClaimRequest(job.name, fire.scheduledTime, fire.trigger, exclusive,
					this.lockTtl, this.instanceId, fire.executionId, now, fire.reclaim, fire.missed),
					this.dispatcher::execute);
		}
		catch (Throwable ex) {
			claim = CompletableFuture.failedFuture(ex);
		}
		return claim.handle((answer, failure) -> {
			// why the lock was taken, as it was when the lock answered
			boolean heldHere = answer != null && answer.status() == Claim.Status.LOCKED && isRunningHere(job);
			try {
				noteAnswer(fire, answer);
			}
			catch (Throwable ex) {
				logger.error("Job '{}': could not take in the answer to the claim of the fire at {}", job.name,
						fire.scheduledTime, ex);
				this.fires.armOnAnswer(fire);
			}
			return answered(fire, answer, failure, now, heldHere);
		});
	}

	/**
	 * Whether the job's schedule has as many fires after a claimed one, up to the latest
	 * claimed fire, as the store remembers claimed there: then every one of them is.
	 */
	static boolean isEveryFireClaimed(Job job, Instant claimed, JobStateStore.ClaimedAhead ahead) {
		Schedule schedule = job.definition.schedule();
		if (schedule.fromCompletion()) {
			return false;
		}
		Instant time = claimed;
		for (int fires = 0; fires < ahead.claimed(); fires++) {
			Optional<Instant> next = schedule.next(time);
			if (next.isEmpty() || next.get().isAfter(ahead.latest())) {
				return false;
			}
			time = next.get();
		}
		return time.equals(ahead.latest());
	}

	private static boolean isRunningHere(Job job) {
		synchronized (job) {
			return job.running > 0;
		}
	}

	/**
	 * The task that handles a claim's answer on a worker, or at once if it is cleared. A
	 * fire won ahead of its time waits for it in the dispatcher, without a worker.
	 */
	private Dispatcher.Task answered(Fire fire, Claim answer, Throwable failure, Instant claimedAt,
			boolean heldHere) {
		boolean timed = this.startLeadNanos > 0 && fire.trigger == Trigger.SCHEDULE && fire.forcedSkip == null
				&& answer != null && answer.status() == Claim.Status.ACQUIRED;
		long due = 0;
		if (timed) {
			due = System.nanoTime()
					+ Math.max(0, Math.min(this.clock.nanosUntil(fire.scheduledTime), this.startLeadNanos));
		}
		return new Dispatcher.Task(() -> {
			try {
				claimed(fire, answer, failure, claimedAt, heldHere);
			}
			finally {
				this.runs.claimSettled();
			}
		}, null, (ex) -> {
			try {
				if (answer != null && answer.status() == Claim.Status.ACQUIRED) {
					this.releases.skipWithLease(fire, SkipReason.SHUTDOWN, SHUTTING_DOWN, answer.lease());
				}
				else {
					claimed(fire, answer, failure, claimedAt, heldHere);
				}
			}
			finally {
				this.runs.claimSettled();
			}
		}, timed, due);
	}

	private void claimed(Fire fire, Claim claim, Throwable failure, Instant claimedAt, boolean heldHere) {
		Job job = fire.job;
		if (failure != null) {
			Throwable cause = (failure instanceof CompletionException && failure.getCause() != null)
					? failure.getCause() : failure;
			this.recorder.warnings()
				.warn(logger, "claims that failed", job.name, "Job '{}': could not claim the fire at {}: {}", job.name,
						fire.scheduledTime, cause.toString());
			this.recorder.listener().onClaim(job.name, fire.scheduledTime, ClaimOutcome.UNAVAILABLE);
			// a fire that stands for missed ones keeps saying so
			String message = (fire.forcedMessage != null) ? fire.forcedMessage + "; " + cause : cause.toString();
			this.fires.skip(fire, SkipReason.STORE_UNAVAILABLE, message, 0);
			return;
		}
		this.recorder.listener().onClaim(job.name, fire.scheduledTime, switch (claim.status()) {
			case ACQUIRED -> ClaimOutcome.ACQUIRED;
			case ALREADY_CLAIMED -> ClaimOutcome.ALREADY_CLAIMED;
			case PAUSED -> ClaimOutcome.PAUSED;
			case LOCKED -> ClaimOutcome.LOCKED;
			case SUPERSEDED -> ClaimOutcome.SUPERSEDED;
		});
		switch (claim.status()) {
			case ALREADY_CLAIMED -> {
				// never for Tickwork's own locks, which do not check manual fires
				Recorder.complete(fire,
						this.recorder.skippedExecution(fire, SkipReason.LOCKED, "another claim already took this fire", 0));
				this.fires.ended(fire);
			}
			case PAUSED -> this.fires.skip(fire, SkipReason.PAUSED, null, 0);
			case SUPERSEDED -> {
				// the record stands for the unclaimed fires up to the latest claimed one too
				String until = (claim.settledUntil() != null) ? "a later fire of the job was claimed; this record "
						+ "stands for every fire from this one to " + claim.settledUntil() + " that no instance claimed"
						: "a later fire of the job was claimed";
				if (fire.forcedSkip != null) {
					// a fire that stands for missed ones is recorded as what it stands for
					this.fires.skip(fire, fire.forcedSkip, fire.forcedMessage + "; " + until, 0);
				}
				else {
					this.fires.skip(fire, SkipReason.SUPERSEDED, until, 0);
				}
			}
			case LOCKED -> this.fires.locked(fire, heldHere);
			case ACQUIRED -> {
				if (fire.forcedSkip != null) {
					this.releases.skipWithLease(fire, fire.forcedSkip, fire.forcedMessage, claim.lease());
				}
				else {
					awaitScheduledTime(fire);
					if (!this.lifecycle.isRunning()) {
						// the claim was answered, or the fire came due, after stop() began
						this.releases.skipWithLease(fire, SkipReason.SHUTDOWN, SHUTTING_DOWN, claim.lease());
					}
					else {
						start(fire, claim.lease(), claimedAt);
					}
				}
			}
		}
	}

	/**
	 * Takes in what an answer tells about the job's fires as soon as it comes, before a
	 * worker handles it: the fires the cluster settled, and whether this instance stands
	 * by the job; then arms the next fire that a standby's question held back.
	 */
	private void noteAnswer(Fire fire, Claim claim) {
		Job job = fire.job;
		if (claim != null) {
			// whether the fire is the latest claimed one (no claimed fire came after it since)
			boolean latest = claim.settledUntil() == null && claim.ahead() == null;
			// whether the answer tells this instance every fire up to the latest claimed one
			boolean caughtUp = latest;
			if (fire.trigger != Trigger.MANUAL) {
				Instant from = fire.scheduledTime;
				if (claim.settledUntil() != null) {
					// the fires up to it are claimed or recorded: this instance passes them unasked
					job.settled(claim.settledUntil());
					from = claim.settledUntil();
				}
				if (claim.ahead() != null && isEveryFireClaimed(job, from, claim.ahead())) {
					// this instance is behind the cluster: the fires up to the latest are claimed
					job.settled(claim.ahead().latest());
					caughtUp = true;
				}
			}
			if (fire.trigger == Trigger.SCHEDULE && claim.status() == Claim.Status.ALREADY_CLAIMED) {
				// another instance claims the job's fires on time: this one stands by, and once
				// told the latest claimed fire asks next no sooner than a delay from now, which
				// grows while the answers keep passing fires (the job fires more often than it)
				int refusals = latest ? 1 : Math.min(job.standbyRefusals + 1, 64);
				job.standbyRefusals = refusals;
				if (caughtUp && this.settings.standbyNanos() > 0) {
					job.standbyUntil = this.clock.now().plusNanos(this.settings.standbyNanos(refusals));
				}
				job.standby = true;
			}
			else if (claim.status() == Claim.Status.ACQUIRED && fire.trigger != Trigger.MANUAL) {
				job.standby = false;
				job.standbyRefusals = 0;
				job.standbyUntil = null;
			}
		}
		this.fires.armOnAnswer(fire);
	}

	/**
	 * Waits until a fire handed out early is due, so that no execution starts before
	 * its scheduled time (the dispatcher held it until then by {@link System#nanoTime()};
	 * this checks the engine's clock): parks, then spins the last few microseconds on
	 * {@link System#nanoTime()}, and checks the engine's clock once more at the end.
	 * Never waits longer than the lead, whatever the clock does.
	 */
	private void awaitScheduledTime(Fire fire) {
		if (this.startLeadNanos == 0 || fire.trigger != Trigger.SCHEDULE) {
			return;
		}
		long latest = System.nanoTime() + this.startLeadNanos;
		long remaining;
		while ((remaining = this.clock.nanosUntil(fire.scheduledTime)) > 0) {
			long now = System.nanoTime();
			long due = now + Math.min(remaining, latest - now);
			long wait;
			while ((wait = due - System.nanoTime()) > 0) {
				// an interrupted thread cannot park: it spins, as the fire must not start early
				if (wait > Dispatcher.SPIN_NANOS && !Thread.currentThread().isInterrupted()) {
					LockSupport.parkNanos(wait - Dispatcher.SPIN_NANOS);
				}
				else {
					Thread.onSpinWait();
				}
			}
			if (latest - System.nanoTime() <= 0) {
				return;
			}
		}
	}

	/**
	 * Starts a won fire on this worker.
	 * @param claimedAt when the claim was sent: the lease is reckoned from it, the
	 * execution's start from now
	 */
	private void start(Fire fire, Lease lease, Instant claimedAt) {
		Job job = fire.job;
		JobExecution running = new JobExecution(fire.executionId, job.name, fire.scheduledTime, this.clock.now(), null,
				ExecutionStatus.RUNNING, 0, null, this.instanceId, lease.fencingToken(), fire.trigger);
		Run run = new Run(fire, lease, running);
		synchronized (job) {
			job.running++;
		}
		this.leases.track(run, claimedAt);
		this.runner.run(run);
	}

}
