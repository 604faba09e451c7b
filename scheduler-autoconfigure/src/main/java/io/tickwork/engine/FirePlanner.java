package io.tickwork.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tickwork.JobDefinition;
import io.tickwork.JobExecution.Trigger;
import io.tickwork.JobRun;
import io.tickwork.Misfire;
import io.tickwork.Overlap;
import io.tickwork.SkipReason;
import io.tickwork.lock.ClaimRequest;
import io.tickwork.schedule.Schedule;
import io.tickwork.state.JobStateStore;

/**
 * Plans each job's fires: arms its first fire (after the last fire the cluster claimed,
 * so that fires missed while no instance ran are found), turns a due fire into a
 * {@link Fire} and arms the next, and applies the job's misfire policy to a fire found
 * later than the misfire threshold. Thread-safe.
 */
final class FirePlanner {

	private static final Logger logger = LoggerFactory.getLogger(FirePlanner.class);

	private static final int MISSED_FIRES_COUNT_LIMIT = 1_000_000;

	private final EngineClock clock;

	private final Lifecycle lifecycle;

	private final Ticker ticker;

	private final JobStateStore state;

	private final FireQueue fires;

	private final Duration misfireThreshold;

	private final Warnings warnings;

	/** Told of a job whose schedule has no fire left after the last the cluster claimed. */
	private final Consumer<Job> finished;

	FirePlanner(EngineClock clock, Lifecycle lifecycle, Ticker ticker, JobStateStore state, FireQueue fires,
			Duration misfireThreshold, Warnings warnings, Consumer<Job> finished) {
		this.finished = finished;
		this.warnings = warnings;
		this.clock = clock;
		this.lifecycle = lifecycle;
		this.ticker = ticker;
		this.state = state;
		this.fires = fires;
		this.misfireThreshold = misfireThreshold;
	}

	/** Arms a job's first fire, unless it is disabled or removed. */
	void armFirst(Job job) {
		armFirst(job, lastFire(job));
	}

	/**
	 * Arms the first fires of several jobs; the latest fires the cluster claimed for them
	 * are all asked for before any answer is awaited, so that a store that sends requests
	 * together reads them in a few round trips.
	 */
	void armFirst(Collection<Job> jobs) {
		Map<Job, CompletableFuture<Optional<Instant>>> lastFires = new LinkedHashMap<>();
		for (Job job : jobs) {
			lastFires.put(job, lastFire(job));
		}
		lastFires.forEach(this::armFirst);
	}

	private void armFirst(Job job, CompletableFuture<Optional<Instant>> lastFire) {
		JobDefinition definition = job.definition;
		if (!definition.enabled() || job.removed) {
			return;
		}
		Schedule schedule = definition.schedule();
		Instant now = this.clock.now();
		Optional<Instant> first = schedule.first(now.plus(definition.initialDelay()));
		if (!schedule.fromCompletion()) {
			Optional<Instant> last = await(job.name, lastFire);
			if (definition.runOnStart() && runOnStart(job, last, now)) {
				return;
			}
			if (last.isPresent()) {
				Optional<Instant> afterLast = schedule.next(last.get());
				if (first.isEmpty() || !first.get().isAfter(last.get())) {
					first = afterLast;
				}
				else if (afterLast.isPresent() && afterLast.get().isBefore(now)
						&& afterLast.get().isBefore(first.get())) {
					first = afterLast;
				}
			}
		}
		if (first.isPresent()) {
			this.ticker.arm(job, first.get());
		}
		else if (!schedule.fromCompletion() && schedule.next(now.minus(Duration.ofDays(36600))).isPresent()) {
			// a schedule that had fires and has none left: a one-time job that already ran
			this.finished.accept(job);
		}
	}

	/**
	 * Runs the job's previous scheduled fire now if no instance claimed it, in the place
	 * of that fire; fires missed before it are recorded skipped, as a misfire would.
	 * @return whether the job's fires are planned
	 */
	private boolean runOnStart(Job job, Optional<Instant> last, Instant now) {
		Schedule schedule = job.definition.schedule();
		Optional<Instant> previous = previous(schedule, now);
		if (previous.isEmpty() || (last.isPresent() && !last.get().isBefore(previous.get()))) {
			return false;
		}
		Instant firstMissed = last.flatMap(schedule::next)
			.filter((time) -> time.isBefore(previous.get()))
			.orElse(previous.get());
		logger.info("Job '{}' runs on start: no instance ran its previous fire, at {}", job.name, previous.get());
		missed(job, firstMissed, now, true);
		return true;
	}

	/**
	 * The latest fire of a schedule at or before an instant, found by looking back over
	 * spans that double, up to 5 years, or empty.
	 */
	static Optional<Instant> previous(Schedule schedule, Instant now) {
		for (Duration back = Duration.ofSeconds(1); back.compareTo(Duration.ofDays(5 * 366)) <= 0;
				back = back.multipliedBy(2)) {
			Optional<Instant> cursor = schedule.next(now.minus(back));
			if (cursor.isPresent() && !cursor.get().isAfter(now)) {
				Instant latest = cursor.get();
				while ((cursor = schedule.next(latest)).isPresent() && !cursor.get().isAfter(now)) {
					latest = cursor.get();
				}
				return Optional.of(latest);
			}
		}
		return Optional.empty();
	}

	/** Asks for the latest fire the cluster claimed, for a job whose first fire depends on it. */
	private CompletableFuture<Optional<Instant>> lastFire(Job job) {
		if (!job.definition.enabled() || job.removed || job.definition.schedule().fromCompletion()) {
			return CompletableFuture.completedFuture(Optional.empty());
		}
		try {
			return this.state.lastFireAsync(job.name);
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	private static Optional<Instant> await(String job, CompletableFuture<Optional<Instant>> lastFire) {
		try {
			return lastFire.join();
		}
		catch (RuntimeException ex) {
			Throwable cause = (ex instanceof CompletionException && ex.getCause() != null) ? ex.getCause() : ex;
			logger.warn("Could not read the last fire of job '{}'; missed fires cannot be detected: {}", job,
					cause.toString());
			return Optional.empty();
		}
	}

	/** A job's armed fire is due (or within the start lead): dispatches it, or applies the misfire policy. */
	void fireDue(Job job, Instant scheduled) {
		if (job.removed || !this.lifecycle.isRunning()) {
			return;
		}
		Schedule schedule = job.definition.schedule();
		if (!schedule.fromCompletion() && job.isSettled(scheduled)) {
			passSettled(job, schedule, job.settledUntil());
			return;
		}
		Instant now = this.clock.now();
		if (!scheduled.plus(this.misfireThreshold).isBefore(now)) {
			Fire fire = newFire(job, scheduled, Trigger.SCHEDULE, null);
			// the next fire is armed when this one leaves the queue: a saturated engine
			// finds later fires late (and applies the misfire policy) instead of queueing all
			Instant next = schedule.fromCompletion() ? null : schedule.next(scheduled).orElse(null);
			job.nextFire(next);
			fire.armsNext = next;
			this.fires.dispatch(fire);
			return;
		}
		missed(job, scheduled, now, false);
	}

	/**
	 * Passes the fires of a job that the cluster settled, unclaimed: each was claimed by
	 * another instance, which records it, or recorded by the instance told it was
	 * superseded. Arms the first fire after them.
	 */
	private void passSettled(Job job, Schedule schedule, Instant settled) {
		Optional<Instant> next = schedule.next(settled);
		this.ticker.armNext(job, next);
		if (next.isEmpty()) {
			this.fires.finishedIfIdle(job);
		}
	}

	/**
	 * Handles the fires of a job from the first it missed up to now: by its misfire policy,
	 * or, on start, by running the latest ({@link JobDefinition#runOnStart()}).
	 */
	private void missed(Job job, Instant firstMissed, Instant now, boolean onStart) {
		JobDefinition definition = job.definition;
		Schedule schedule = definition.schedule();
		ArrayDeque<Instant> replay = new ArrayDeque<>();
		Instant latest = firstMissed;
		Instant beforeLatest = null;
		long count = 0;
		Optional<Instant> cursor = Optional.of(firstMissed);
		while (cursor.isPresent() && !cursor.get().isAfter(now) && count < MISSED_FIRES_COUNT_LIMIT) {
			beforeLatest = (count > 0) ? latest : null;
			latest = cursor.get();
			count++;
			if (definition.misfire() == Misfire.RUN_ALL) {
				replay.addLast(latest);
				if (replay.size() > Misfire.RUN_ALL_LIMIT) {
					replay.removeFirst();
				}
			}
			cursor = schedule.fromCompletion() ? Optional.empty() : schedule.next(latest);
		}
		if (schedule.fromCompletion()) {
			job.nextFire(null);
		}
		else {
			this.ticker.armNext(job, cursor.isPresent() && cursor.get().isAfter(now) ? cursor : schedule.next(now));
		}
		String missed = count + ((count == MISSED_FIRES_COUNT_LIMIT) ? "+" : "") + " fire(s) missed from " + firstMissed
				+ " to " + latest;
		if (onStart) {
			if (count > 1) {
				this.fires.dispatch(skippedFire(job, firstMissed, beforeLatest, (count - 1) + " fire(s) missed from "
						+ firstMissed + " to " + beforeLatest + "; runOnStart runs the latest, at " + latest));
			}
			this.fires.dispatch(newFire(job, latest, Trigger.START, null));
			return;
		}
		this.warnings.warn(logger, "misfires", job.name, "Job '{}': {}; applying misfire policy {}", job.name, missed,
				definition.misfire());
		switch (definition.misfire()) {
			case RUN_ONCE -> {
				if (count > 1) {
					// the fires it does not run are recorded, once, by the instance that claims this
					this.fires.dispatch(skippedFire(job, firstMissed, beforeLatest, (count - 1)
							+ ((count == MISSED_FIRES_COUNT_LIMIT)
							? "+" : "") + " fire(s) missed from " + firstMissed + " to " + beforeLatest
							+ "; RUN_ONCE runs the latest, at " + latest));
				}
				this.fires.dispatch(newFire(job, latest, Trigger.MISFIRE, null));
			}
			case SKIP -> this.fires.dispatch(skippedFire(job, latest, firstMissed, latest, missed));
			case RUN_ALL -> replayAll(job, replay, count, firstMissed);
		}
	}

	private void replayAll(Job job, ArrayDeque<Instant> replay, long count, Instant firstMissed) {
		if (count > replay.size()) {
			Instant oldestReplayed = replay.removeFirst();
			this.fires.dispatch(skippedFire(job, oldestReplayed, firstMissed, oldestReplayed, (count - replay.size())
					+ " older missed fire(s) not replayed; RUN_ALL replays at most " + Misfire.RUN_ALL_LIMIT));
		}
		if (job.definition.overlap() == Overlap.ALLOW) {
			for (Instant time : replay) {
				this.fires.dispatch(newFire(job, time, Trigger.MISFIRE, null));
			}
			return;
		}
		this.fires.replay(job, replay);
	}

	/**
	 * The fire recorded as skipped for missed ones, from first to last, itself among them:
	 * claimed with them, so that no other instance takes or records them again.
	 */
	private Fire skippedFire(Job job, Instant first, Instant last, String message) {
		return skippedFire(job, first, first, last, message);
	}

	private Fire skippedFire(Job job, Instant time, Instant first, Instant last, String message) {
		return new Fire(job, time, Trigger.MISFIRE, this.clock.newExecutionId(), null, SkipReason.MISFIRE, message,
				false, false, new ClaimRequest.Missed(first, last));
	}

	/** Runs a job now, outside its schedule; a disabled job's run is recorded as skipped. */
	JobRun manual(Job job) {
		Instant now = this.clock.now();
		JobRun future = new JobRun(ExecutionIds.next(now.toEpochMilli()));
		Fire fire = newFire(job, now, Trigger.MANUAL, future);
		if (!job.definition.enabled()) {
			synchronized (job) {
				job.inFlight++;
			}
			this.fires.skip(fire, SkipReason.DISABLED, "job '" + job.name + "' is disabled", 0);
		}
		else {
			this.fires.dispatch(fire);
		}
		return future;
	}

	/** A fire to claim and run. */
	private Fire newFire(Job job, Instant scheduled, Trigger trigger, JobRun future) {
		String id = (future != null) ? future.executionId() : this.clock.newExecutionId();
		return new Fire(job, scheduled, trigger, id, future, null, null, false, false);
	}

}
