package io.tickwork.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import io.tickwork.ClaimOutcome;
import io.tickwork.ExecutionStatus;
import io.tickwork.JobDefinition;
import io.tickwork.JobExecution;
import io.tickwork.JobExecution.Trigger;
import io.tickwork.JobInfo;
import io.tickwork.JobListener;
import io.tickwork.JobRun;
import io.tickwork.JobScheduler;
import io.tickwork.JobStats;
import io.tickwork.JobTask;
import io.tickwork.Misfire;
import io.tickwork.NoSuchJobException;
import io.tickwork.Overlap;
import io.tickwork.SkipReason;
import io.tickwork.history.JobHistory;
import io.tickwork.lock.Claim;
import io.tickwork.lock.ClaimRequest;
import io.tickwork.lock.JobLock;
import io.tickwork.lock.Lease;
import io.tickwork.schedule.Durations;
import io.tickwork.schedule.Schedule;
import io.tickwork.state.JobStateStore;

/**
 * The tick-driven engine behind {@link JobScheduler}: a heap of timed actions (fires,
 * attempt deadlines, retries, lock renewals) worked by one ticker thread that sleeps
 * until the earliest is due or the tick interval passes, and a bounded set of worker
 * threads that claim fires, run them and record them.
 * <p>
 * The engine knows nothing of Spring: it takes a {@link Clock}, an {@link Executor} and
 * the store SPIs, so tests drive it with a controllable clock and {@link #tick()}.
 * Thread-safe.
 *
 * @author Tickwork team
 * @since 0.1.0
 */
public final class TickworkEngine implements JobScheduler {

	private static final Logger logger = LoggerFactory.getLogger(TickworkEngine.class);

	private static final int MISSED_FIRES_COUNT_LIMIT = 1_000_000;

	private static final int MESSAGE_LIMIT = 2000;

	private static final Duration DEFAULT_START_LEAD = Duration.ofNanos(800_000);

	private static final Duration MAX_START_LEAD = Duration.ofMillis(10);

	private static final String STOPPED_WHILE_WAITING = "the scheduler stopped while the fire waited for its lock";

	private static final String REMOVED_WHILE_WAITING = "the job was removed while the fire waited for its lock";

	private final Clock clock;

	private final JobLock lock;

	private final JobHistory history;

	private final JobStateStore state;

	private final JobListener listener;

	private final String instanceId;

	private final Duration tickInterval;

	private final Duration misfireThreshold;

	private final Duration shutdownTimeout;

	private final Duration lockTtl;

	private final Duration renewalInterval;

	private final long startLeadNanos;

	private final boolean ownTicker;

	private final UnaryOperator<JobDefinition> customizer;

	private final List<Consumer<Set<String>>> maintenance;

	private final AtomicBoolean maintaining = new AtomicBoolean();

	private long nextMaintenance = System.nanoTime();

	private final Dispatcher dispatcher;

	private final ThreadPoolExecutor keeper;

	private final ConcurrentHashMap<String, Job> jobs = new ConcurrentHashMap<>();

	private final ReentrantLock timerLock = new ReentrantLock();

	private final Condition timersChanged = this.timerLock.newCondition();

	/** Deadlines, retries and other timed actions, run when due. */
	private final TimerHeap timers = new TimerHeap();

	/** Scheduled fires, handed out up to the start lead before they are due. */
	private final TimerHeap fireTimers = new TimerHeap();

	private long timerSequence;

	private final Set<Run> runs = ConcurrentHashMap.newKeySet();

	/** Claims sent whose answer is not yet handled. */
	private final AtomicInteger unsettledClaims = new AtomicInteger();

	private final Object lifecycleMonitor = new Object();

	private volatile Phase phase = Phase.NEW;

	private Thread ticker;

	private TickworkEngine(Builder builder) {
		this.clock = builder.clock;
		this.lock = Objects.requireNonNull(builder.lock, "lock must not be null");
		this.history = Objects.requireNonNull(builder.history, "history must not be null");
		this.state = Objects.requireNonNull(builder.state, "state must not be null");
		// a listener that throws must not cut an execution's bookkeeping short
		this.listener = (builder.listener instanceof CompositeJobListener) ? builder.listener
				: new CompositeJobListener(List.of(builder.listener));
		this.instanceId = builder.instanceId;
		this.tickInterval = positive(builder.tickInterval, "tickInterval");
		this.misfireThreshold = positive(builder.misfireThreshold, "misfireThreshold");
		this.shutdownTimeout = builder.shutdownTimeout;
		this.lockTtl = positive(builder.lockTtl, "lockTtl");
		this.renewalInterval = this.lockTtl.dividedBy(3);
		this.startLeadNanos = withinLeadLimit(builder.startLead, "startLead").toNanos();
		this.ownTicker = builder.ownTicker;
		this.customizer = builder.customizer;
		this.maintenance = List.copyOf(builder.maintenance);
		this.dispatcher = new Dispatcher(Objects.requireNonNull(builder.executor, "executor must not be null"),
				builder.maxConcurrent);
		this.keeper = new ThreadPoolExecutor(1, 1, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), (runnable) -> {
			Thread thread = new Thread(runnable, "tickwork-keeper");
			thread.setDaemon(true);
			return thread;
		});
		this.keeper.allowCoreThreadTimeOut(true);
	}

	private static Duration withinLeadLimit(Duration duration, String name) {
		if (duration == null || duration.isNegative() || duration.compareTo(MAX_START_LEAD) > 0) {
			throw new IllegalArgumentException(name + " must be between 0 and " + MAX_START_LEAD + ", was " + duration);
		}
		return duration;
	}

	private static Duration positive(Duration duration, String name) {
		if (duration == null || duration.isNegative() || duration.isZero()) {
			throw new IllegalArgumentException(name + " must be positive, was " + duration);
		}
		return duration;
	}

	/**
	 * Starts building an engine.
	 * @return a builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Registers a job declared in the application (such as by {@code @ScheduledJob}).
	 * Unlike {@link #schedule(JobDefinition)}, a name already in use is an error.
	 * Registration never touches the stores, so it works while they are unreachable.
	 * @param definition the job
	 * @throws IllegalStateException if the name is already in use
	 */
	public void register(JobDefinition definition) {
		add(definition, false);
	}

	@Override
	public JobInfo schedule(String name, Schedule schedule, JobTask task) {
		return schedule(JobDefinition.builder(name, schedule, task).source("JobScheduler.schedule").build());
	}

	@Override
	public JobInfo schedule(JobDefinition definition) {
		return info(add(this.customizer.apply(definition), true));
	}

	private Job add(JobDefinition definition, boolean replace) {
		Job job = new Job(definition);
		Job old;
		if (replace) {
			old = this.jobs.put(job.name, job);
		}
		else {
			old = this.jobs.putIfAbsent(job.name, job);
			if (old != null) {
				throw new IllegalStateException("Job name '" + job.name + "' is used twice: by "
						+ old.definition.source() + " and by " + definition.source()
						+ "; give one of them another name with @ScheduledJob(name = \"...\")");
			}
		}
		if (old != null) {
			retire(old);
		}
		if (this.phase == Phase.RUNNING) {
			armFirst(job);
		}
		return job;
	}

	private void retire(Job job) {
		job.removed = true;
		this.timerLock.lock();
		try {
			job.armedTimer = -1;
		}
		finally {
			this.timerLock.unlock();
		}
		synchronized (job) {
			job.backlog.clear();
		}
		job.nextFire(null);
		dropPending(job, SkipReason.DISABLED, REMOVED_WHILE_WAITING);
	}

	/**
	 * Records as skipped the fire that waits for the job's lock (overlap policy WAIT): its
	 * claim already consumed the fire, so no other instance will run or record it.
	 */
	private void dropPending(Job job, SkipReason reason, String message) {
		Fire pending;
		synchronized (job) {
			pending = job.pending;
			job.pending = null;
			if (pending != null) {
				job.inFlight++;
			}
		}
		if (pending != null) {
			skipped(pending, reason, message, 0);
		}
	}

	@Override
	public void remove(String name) {
		Job job = require(name);
		this.jobs.remove(name, job);
		retire(job);
	}

	// Lifecycle

	/**
	 * Starts firing jobs: computes each job's first fire and, unless the engine was built
	 * without its own ticker, starts the ticker thread.
	 */
	public void start() {
		synchronized (this.lifecycleMonitor) {
			if (this.phase == Phase.RUNNING) {
				return;
			}
			this.phase = Phase.RUNNING;
			for (Job job : this.jobs.values()) {
				armFirst(job);
			}
			if (this.ownTicker) {
				// Not a daemon: like Spring's scheduler threads, it keeps a worker application alive.
				this.ticker = new Thread(this::tickLoop, "tickwork-ticker");
				this.ticker.start();
			}
			logger.info("Tickwork started on instance '{}' with {} job(s)", this.instanceId, this.jobs.size());
		}
	}

	/**
	 * Whether the engine fires jobs.
	 * @return whether the engine is started and not stopping
	 */
	public boolean isRunning() {
		return this.phase == Phase.RUNNING;
	}

	/**
	 * Stops gracefully: takes no new fire, lets running executions end for up to the
	 * shutdown timeout, then interrupts them and records them as
	 * {@link ExecutionStatus#INTERRUPTED}.
	 */
	public void stop() {
		synchronized (this.lifecycleMonitor) {
			if (this.phase != Phase.RUNNING) {
				return;
			}
			this.phase = Phase.STOPPING;
			signalTimers();
			this.dispatcher.clear((onRejected) -> onRejected.accept(new RejectedExecutionException("shutdown")));
			for (Job job : this.jobs.values()) {
				dropPending(job, SkipReason.SHUTDOWN, STOPPED_WHILE_WAITING);
			}
			for (Run run : this.runs) {
				if (run.isBetweenAttempts()) {
					run.stop("shutdown before the next attempt");
					finish(run, ExecutionStatus.INTERRUPTED, null, "shutdown before attempt " + (run.attempts + 1));
				}
			}
			if (!awaitRuns(this.shutdownTimeout)) {
				logger.warn("Interrupting {} execution(s) still running after {}", this.runs.size(),
						Durations.format(this.shutdownTimeout));
				for (Run run : this.runs) {
					run.stop("shutdown");
				}
				if (!awaitRuns(Duration.ofSeconds(1))) {
					for (Run run : this.runs) {
						finish(run, ExecutionStatus.INTERRUPTED, null, "shutdown; the job ignored interruption");
					}
				}
			}
			this.phase = Phase.STOPPED;
			signalTimers();
			if (this.ticker != null && this.ticker != Thread.currentThread()) {
				try {
					this.ticker.join(TimeUnit.SECONDS.toMillis(5));
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			this.ticker = null;
			logger.info("Tickwork stopped on instance '{}'", this.instanceId);
		}
	}

	private boolean awaitRuns(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		synchronized (this.runs) {
			while (!this.runs.isEmpty() || this.unsettledClaims.get() > 0) {
				long remaining = deadline - System.nanoTime();
				if (remaining <= 0) {
					return false;
				}
				try {
					TimeUnit.NANOSECONDS.timedWait(this.runs, Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(50)));
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return false;
				}
			}
			return true;
		}
	}

	// Ticking

	private void tickLoop() {
		while (this.phase == Phase.RUNNING || this.phase == Phase.STOPPING) {
			try {
				tick(this.startLeadNanos);
				maintain();
				awaitNextTimer();
			}
			catch (Throwable ex) {
				logger.error("Tickwork ticker failed; it goes on", ex);
			}
		}
	}

	/** Hands the maintenance tasks to the keeper thread, at most once per lock time to live. */
	private void maintain() {
		long now = System.nanoTime();
		if (this.maintenance.isEmpty() || now - this.nextMaintenance < 0 || !this.maintaining.compareAndSet(false, true)) {
			return;
		}
		this.nextMaintenance = now + this.lockTtl.toNanos();
		try {
			this.keeper.execute(() -> {
				try {
					Set<String> names = Set.copyOf(this.jobs.keySet());
					for (Consumer<Set<String>> task : this.maintenance) {
						task.accept(names);
					}
				}
				catch (RuntimeException ex) {
					logger.warn("Tickwork maintenance failed: {}", ex.toString());
				}
				finally {
					this.maintaining.set(false);
				}
			});
		}
		catch (RejectedExecutionException ex) {
			this.maintaining.set(false);
		}
	}

	private void awaitNextTimer() throws InterruptedException {
		this.timerLock.lock();
		try {
			if (this.phase != Phase.RUNNING && this.phase != Phase.STOPPING) {
				return;
			}
			long wait = this.tickInterval.toNanos();
			Timer head = this.timers.peek();
			if (head != null) {
				wait = Math.min(wait, nanosUntil(head.due));
			}
			Timer fireHead = this.fireTimers.peek();
			if (fireHead != null) {
				wait = Math.min(wait, nanosUntil(fireHead.due) - this.startLeadNanos);
			}
			Instant renewal = nextRenewal();
			if (renewal != null) {
				wait = Math.min(wait, nanosUntil(renewal));
			}
			if (wait > 0) {
				this.timersChanged.awaitNanos(wait);
			}
		}
		finally {
			this.timerLock.unlock();
		}
	}

	/** The engine's time, to the microsecond, which every store keeps exactly. */
	private Instant now() {
		// one Instant made here: the clock's does not escape, where truncatedTo's copy did
		Instant now = this.clock.instant();
		int nanos = now.getNano();
		return Instant.ofEpochSecond(now.getEpochSecond(), nanos - nanos % 1000);
	}

	private long nanosUntil(Instant due) {
		// the clock untruncated: one object fewer, and a truncated time is never later
		Instant now = this.clock.instant();
		long seconds = due.getEpochSecond() - now.getEpochSecond();
		if (seconds > 86_400) {
			return Long.MAX_VALUE;
		}
		return seconds * 1_000_000_000L + (due.getNano() - now.getNano());
	}

	/**
	 * Runs every timed action that is due by the engine's clock: fires, deadlines,
	 * retries and lock renewals. The ticker thread calls it; tests that build the engine
	 * without a ticker call it after moving their clock.
	 */
	public void tick() {
		tick(0);
	}

	/**
	 * Runs the timed actions that are due, and hands out the fires due within the lead.
	 * @param leadNanos how early fires are handed out: their workers wait for the
	 * scheduled time, so that the hand-off is not part of the start's lateness
	 */
	void tick(long leadNanos) {
		Instant now = now();
		List<Timer> due = null;
		this.timerLock.lock();
		try {
			due = pollDue(this.timers, now, due);
			due = pollDue(this.fireTimers, now.plusNanos(leadNanos), due);
		}
		finally {
			this.timerLock.unlock();
		}
		if (due != null) {
			for (Timer timer : due) {
				try {
					if (timer.job != null) {
						fireDue(timer.job, timer);
					}
					else {
						timer.action.run();
					}
				}
				catch (Throwable ex) {
					logger.error("Tickwork timed action failed", ex);
				}
			}
		}
		renewDueLeases(now);
	}

	private static List<Timer> pollDue(TimerHeap timers, Instant horizon, List<Timer> due) {
		while (!timers.isEmpty() && !timers.peek().due.isAfter(horizon)) {
			Timer timer = timers.poll();
			if (timer.isLive()) {
				if (due == null) {
					due = new ArrayList<>();
				}
				due.add(timer);
			}
		}
		return due;
	}

	private Timer addTimer(Instant due, Runnable action) {
		this.timerLock.lock();
		try {
			return addTimer(this.timers, due, action);
		}
		finally {
			this.timerLock.unlock();
		}
	}

	private Timer addTimer(TimerHeap queue, Instant due, Runnable action) {
		return addTimer(queue, new Timer(due, this.timerSequence++, action));
	}

	private Timer addTimer(TimerHeap queue, Timer timer) {
		queue.add(timer);
		if (queue.peek() == timer) {
			this.timersChanged.signal();
		}
		return timer;
	}

	private void signalTimers() {
		this.timerLock.lock();
		try {
			this.timersChanged.signalAll();
		}
		finally {
			this.timerLock.unlock();
		}
	}

	private static void cancel(Timer timer) {
		if (timer != null) {
			timer.cancel();
		}
	}

	// Fires

	private void armFirst(Job job) {
		JobDefinition definition = job.definition;
		if (!definition.enabled() || job.removed) {
			return;
		}
		Schedule schedule = definition.schedule();
		Instant now = now();
		Optional<Instant> first = schedule.first(now.plus(definition.initialDelay()));
		if (!schedule.fromCompletion()) {
			Optional<Instant> last = lastFire(job.name);
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
		first.ifPresent((time) -> arm(job, time));
	}

	private Optional<Instant> lastFire(String job) {
		try {
			return this.state.lastFire(job);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not read the last fire of job '{}'; missed fires cannot be detected: {}", job,
					ex.toString());
			return Optional.empty();
		}
	}

	private void arm(Job job, Instant time) {
		this.timerLock.lock();
		try {
			if (job.removed) {
				return;
			}
			job.nextFire(time);
			Timer timer = addTimer(this.fireTimers, new Timer(time, this.timerSequence++, null, job));
			job.armedTimer = timer.sequence;
		}
		finally {
			this.timerLock.unlock();
		}
	}

	private void fireDue(Job job, Timer timer) {
		if (job.removed || this.phase != Phase.RUNNING) {
			return;
		}
		Instant scheduled = timer.due;
		Instant now = now();
		Schedule schedule = job.definition.schedule();
		if (!scheduled.plus(this.misfireThreshold).isBefore(now)) {
			Fire fire = newFire(job, scheduled, Trigger.SCHEDULE, null);
			// the next fire is armed when this one leaves the queue: a saturated engine
			// finds later fires late (and applies the misfire policy) instead of queueing all
			Instant next = schedule.fromCompletion() ? null : schedule.next(scheduled).orElse(null);
			job.nextFire(next);
			fire.armsNext = next;
			dispatch(fire);
			return;
		}
		misfire(job, scheduled, now);
	}

	private void armNext(Job job, Optional<Instant> next) {
		if (next.isPresent()) {
			arm(job, next.get());
		}
		else {
			job.nextFire(null);
		}
	}

	private void misfire(Job job, Instant firstMissed, Instant now) {
		JobDefinition definition = job.definition;
		Schedule schedule = definition.schedule();
		ArrayDeque<Instant> replay = new ArrayDeque<>();
		Instant latest = firstMissed;
		long count = 0;
		Optional<Instant> cursor = Optional.of(firstMissed);
		while (cursor.isPresent() && !cursor.get().isAfter(now) && count < MISSED_FIRES_COUNT_LIMIT) {
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
			armNext(job, cursor.isPresent() && cursor.get().isAfter(now) ? cursor : schedule.next(now));
		}
		String missed = count + ((count == MISSED_FIRES_COUNT_LIMIT) ? "+" : "") + " fire(s) missed from " + firstMissed
				+ " to " + latest;
		logger.warn("Job '{}': {}; applying misfire policy {}", job.name, missed, definition.misfire());
		switch (definition.misfire()) {
			case RUN_ONCE -> dispatch(newFire(job, latest, Trigger.MISFIRE, null));
			case SKIP -> dispatch(new Fire(job, latest, Trigger.MISFIRE, newExecutionId(), null, SkipReason.MISFIRE,
					missed, false, false));
			case RUN_ALL -> replayAll(job, replay, count);
		}
	}

	private void replayAll(Job job, ArrayDeque<Instant> replay, long count) {
		if (count > replay.size()) {
			Instant oldestReplayed = replay.removeFirst();
			dispatch(new Fire(job, oldestReplayed, Trigger.MISFIRE, newExecutionId(), null, SkipReason.MISFIRE,
					(count - replay.size()) + " older missed fire(s) not replayed; RUN_ALL replays at most "
							+ Misfire.RUN_ALL_LIMIT,
					false, false));
		}
		if (job.definition.overlap() == Overlap.ALLOW) {
			for (Instant time : replay) {
				dispatch(newFire(job, time, Trigger.MISFIRE, null));
			}
			return;
		}
		Fire first = null;
		synchronized (job) {
			for (Instant time : replay) {
				Fire fire = new Fire(job, time, Trigger.MISFIRE, newExecutionId(), null, null, null, false, true);
				if (first == null && job.inFlight == 0 && job.backlog.isEmpty()) {
					first = fire;
				}
				else {
					job.backlog.addLast(fire);
				}
			}
		}
		if (first != null) {
			dispatch(first);
		}
	}

	private Fire newFire(Job job, Instant scheduled, Trigger trigger, JobRun future) {
		String id = (future != null) ? future.executionId() : newExecutionId();
		return new Fire(job, scheduled, trigger, id, future, null, null, false, false);
	}

	private String newExecutionId() {
		return ExecutionIds.next(this.clock.millis());
	}

	private void dispatch(Fire fire) {
		Job job = fire.job;
		synchronized (job) {
			if (fire.trigger != Trigger.MANUAL && !fire.fromBacklog && !job.backlog.isEmpty()) {
				job.backlog.addLast(fire);
				armDeferred(fire);
				return;
			}
			job.inFlight++;
		}
		submit(fire);
	}

	private void armDeferred(Fire fire) {
		Instant next = fire.armsNext;
		if (next != null) {
			fire.armsNext = null;
			if (this.phase == Phase.RUNNING) {
				arm(fire.job, next);
			}
		}
	}

	private void submit(Fire fire) {
		this.dispatcher.submitPrepared(() -> claim(fire), () -> armDeferred(fire), (ex) -> notClaimed(fire));
	}

	private void notClaimed(Fire fire) {
		if (fire.future != null) {
			skipped(fire, SkipReason.SHUTDOWN, "the scheduler is shutting down", 0);
		}
		else {
			ended(fire);
		}
	}

	/**
	 * Sends the fire's claim without waiting for it; the answer is handled on a worker.
	 * Until then the claim counts as unsettled, which stop() waits for.
	 */
	private CompletionStage<Dispatcher.Task> claim(Fire fire) {
		Job job = fire.job;
		JobDefinition definition = job.definition;
		Instant now = now();
		this.unsettledClaims.incrementAndGet();
		CompletionStage<Claim> claim;
		try {
			claim = this.lock.claimAsync(new ClaimRequest(job.name, fire.scheduledTime, fire.trigger,
					definition.overlap() != Overlap.ALLOW, this.lockTtl, this.instanceId, fire.executionId, now,
					fire.reclaim), this.dispatcher::execute);
		}
		catch (Throwable ex) {
			claim = CompletableFuture.failedFuture(ex);
		}
		return claim.handle((answer, failure) -> {
			// why the lock was taken, as it was when the lock answered
			boolean heldHere = answer != null && answer.status() == Claim.Status.LOCKED && isRunningHere(job);
			return answered(fire, answer, failure, now, heldHere);
		});
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
			due = System.nanoTime() + Math.max(0, Math.min(nanosUntil(fire.scheduledTime), this.startLeadNanos));
		}
		return new Dispatcher.Task(() -> {
			try {
				claimed(fire, answer, failure, claimedAt, heldHere);
			}
			finally {
				settled();
			}
		}, null, (ex) -> {
			try {
				if (answer != null && answer.status() == Claim.Status.ACQUIRED) {
					skippedWithLease(fire, SkipReason.SHUTDOWN, "the scheduler is shutting down", answer.lease());
				}
				else {
					claimed(fire, answer, failure, claimedAt, heldHere);
				}
			}
			finally {
				settled();
			}
		}, timed, due);
	}

	private void settled() {
		if (this.unsettledClaims.decrementAndGet() == 0 && this.phase != Phase.RUNNING) {
			synchronized (this.runs) {
				this.runs.notifyAll();
			}
		}
	}

	private void claimed(Fire fire, Claim claim, Throwable failure, Instant claimedAt, boolean heldHere) {
		Job job = fire.job;
		if (failure != null) {
			Throwable cause = (failure instanceof CompletionException && failure.getCause() != null)
					? failure.getCause() : failure;
			logger.warn("Job '{}': could not claim the fire at {}: {}", job.name, fire.scheduledTime,
					cause.toString());
			this.listener.onClaim(job.name, fire.scheduledTime, ClaimOutcome.UNAVAILABLE);
			skipped(fire, SkipReason.STORE_UNAVAILABLE, cause.toString(), 0);
			return;
		}
		this.listener.onClaim(job.name, fire.scheduledTime, switch (claim.status()) {
			case ACQUIRED -> ClaimOutcome.ACQUIRED;
			case ALREADY_CLAIMED -> ClaimOutcome.ALREADY_CLAIMED;
			case PAUSED -> ClaimOutcome.PAUSED;
			case LOCKED -> ClaimOutcome.LOCKED;
		});
		switch (claim.status()) {
			case ALREADY_CLAIMED -> {
				// never for Tickwork's own locks, which do not check manual fires
				complete(fire, skippedExecution(fire, SkipReason.LOCKED, "another claim already took this fire", 0));
				ended(fire);
			}
			case PAUSED -> skipped(fire, SkipReason.PAUSED, null, 0);
			case LOCKED -> locked(fire, heldHere);
			case ACQUIRED -> {
				if (fire.forcedSkip != null) {
					skippedWithLease(fire, fire.forcedSkip, fire.forcedMessage, claim.lease());
				}
				else {
					awaitScheduledTime(fire);
					if (this.phase != Phase.RUNNING) {
						// the claim was answered, or the fire came due, after stop() began
						skippedWithLease(fire, SkipReason.SHUTDOWN, "the scheduler is shutting down",
								claim.lease());
					}
					else {
						start(fire, claim.lease(), claimedAt);
					}
				}
			}
		}
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
		while ((remaining = nanosUntil(fire.scheduledTime)) > 0) {
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
	 * A fire found its job's lock taken.
	 * @param heldHere whether this instance ran the job when the answer came
	 */
	private void locked(Fire fire, boolean heldHere) {
		Job job = fire.job;
		boolean waiting = false;
		boolean localHolder;
		boolean wantsToWait;
		synchronized (job) {
			localHolder = job.running > 0;
			wantsToWait = job.definition.overlap() == Overlap.WAIT && fire.forcedSkip == null && job.pending == null;
			// stop() and retire() flip these before draining pending fires under this monitor
			if (wantsToWait && this.phase == Phase.RUNNING && !job.removed) {
				job.pending = fire.asReclaim();
				job.inFlight--;
				waiting = true;
			}
		}
		if (waiting) {
			if (!localHolder) {
				addTimer(now().plus(this.tickInterval), () -> dispatchPending(job));
			}
		}
		else if (wantsToWait && job.removed) {
			skipped(fire, SkipReason.DISABLED, REMOVED_WHILE_WAITING, 0);
		}
		else if (wantsToWait) {
			skipped(fire, SkipReason.SHUTDOWN, STOPPED_WHILE_WAITING, 0);
		}
		else {
			skipped(fire, heldHere ? SkipReason.OVERLAP : SkipReason.LOCKED, null, 0);
		}
	}

	private void dispatchPending(Job job) {
		Fire next;
		synchronized (job) {
			if (job.running > 0 || job.pending == null) {
				return;
			}
			next = job.pending;
			job.pending = null;
			job.inFlight++;
		}
		submit(next);
	}

	/**
	 * Starts a won fire on this worker.
	 * @param claimedAt when the claim was sent: the lease is reckoned from it, the
	 * execution's start from now
	 */
	private void start(Fire fire, Lease lease, Instant claimedAt) {
		Job job = fire.job;
		JobExecution running = new JobExecution(fire.executionId, job.name, fire.scheduledTime, now(), null,
				ExecutionStatus.RUNNING, 0, null, this.instanceId, lease.fencingToken(), fire.trigger);
		Run run = new Run(fire, lease, running);
		synchronized (job) {
			job.running++;
		}
		this.runs.add(run);
		if (!this.lock.recordsHistory()) {
			record(running);
		}
		this.listener.onStarted(running);
		if (logger.isDebugEnabled()) {
			logger.debug("Job '{}' started execution {} (scheduled {}, trigger {}, fencing token {})", job.name,
					running.id(), running.scheduledTime(), running.trigger(), lease.fencingToken());
		}
		if (lease.exclusive()) {
			run.lockValidUntil = claimedAt.plus(this.lockTtl);
			run.nextRenewal = claimedAt.plus(renewalInterval());
		}
		attempt(run);
	}

	private void attempt(Run run) {
		JobDefinition definition = run.fire.job.definition;
		int attempt = ++run.attempts;
		if (run.stopCause != null) {
			finish(run, ExecutionStatus.INTERRUPTED, null, run.stopCause);
			return;
		}
		if (this.phase != Phase.RUNNING && attempt > 1) {
			run.stop("shutdown before attempt " + attempt);
			finish(run, ExecutionStatus.INTERRUPTED, null, run.stopCause);
			return;
		}
		Duration timeout = definition.timeout();
		Instant deadline = (timeout != null) ? now().plus(timeout) : null;
		Timer deadlineTimer = (deadline != null) ? addTimer(deadline, () -> timeOut(run, attempt)) : null;
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
			cancel(deadlineTimer);
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
					run.started.id(), attempt, Durations.format(run.fire.job.definition.timeout()));
			run.timeOut(attempt);
		}
	}

	private void afterAttempt(Run run, int attempt, Throwable error, Duration timeout) {
		int maxAttempts = run.fire.job.definition.retry().maxAttempts();
		boolean retryable = attempt < maxAttempts && run.stopCause == null && this.phase == Phase.RUNNING
				&& !(error instanceof VirtualMachineError);
		if (run.timedOutAttempt == attempt) {
			String message = "timed out after " + Durations.format(timeout);
			if (retryable) {
				retry(run, attempt, new java.util.concurrent.TimeoutException(message));
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
		Duration delay = run.fire.job.definition.retry().delayAfter(attempt, ThreadLocalRandom.current().nextDouble());
		JobExecution snapshot = run.started.finish(ExecutionStatus.RUNNING, null, attempt, describe(error));
		logger.warn("Job '{}' execution {} attempt {} failed: {}; retrying in {}", run.started.job(),
				run.started.id(), attempt, describe(error), Durations.format(delay));
		this.listener.onRetrying(snapshot, error, delay);
		Runnable next = () -> this.dispatcher.submit(() -> attempt(run),
				(ex) -> finish(run, ExecutionStatus.INTERRUPTED, error, "shutdown before attempt " + (attempt + 1)));
		Timer timer = addTimer(now().plus(delay), next);
		run.retryTimer = timer;
		// finish() sets finished before it reads the timer: one of the two cancels it
		if (run.finished.get()) {
			cancel(timer);
		}
	}

	private Duration renewalInterval() {
		return this.renewalInterval;
	}

	/**
	 * Hands the leases due for renewal to the keeper thread. Running executions are few
	 * and most end long before their first renewal, so sweeping them on each tick costs
	 * less than a timer per execution.
	 */
	private void renewDueLeases(Instant now) {
		for (Run run : this.runs) {
			Instant due = run.nextRenewal;
			if (due != null && !due.isAfter(now) && !run.finished.get()) {
				run.nextRenewal = null;
				renewSoon(run);
			}
		}
	}

	/** When the earliest lease renewal is due, or {@code null} if none is. */
	private Instant nextRenewal() {
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

	private void renew(Run run) {
		if (run.finished.get()) {
			return;
		}
		Instant now = now();
		try {
			if (this.lock.extend(run.lease, this.lockTtl)) {
				run.lockValidUntil = now.plus(this.lockTtl);
				run.nextRenewal = now.plus(renewalInterval());
			}
			else {
				lockLost(run, "lock lost: another holder took it or it expired");
			}
		}
		catch (RuntimeException ex) {
			if (!now.isBefore(run.lockValidUntil)) {
				lockLost(run, "lock lost: the store could not be reached before the lock expired (" + ex + ")");
			}
			else {
				Duration left = Duration.between(now, run.lockValidUntil);
				logger.warn("Job '{}' could not extend its lock ({}); retrying, {} left", run.started.job(),
						ex.toString(), Durations.format(left));
				run.nextRenewal = now.plus(left.dividedBy(2).compareTo(Duration.ofMillis(100)) < 0 ? left
						: left.dividedBy(2));
			}
		}
		signalTimers();
	}

	private void lockLost(Run run, String cause) {
		logger.error("Job '{}' execution {}: {}; interrupting it", run.started.job(), run.started.id(), cause);
		run.stop(cause);
		if (run.isBetweenAttempts()) {
			cancel(run.retryTimer);
			finish(run, ExecutionStatus.INTERRUPTED, null, cause);
		}
	}

	private void finish(Run run, ExecutionStatus status, Throwable error, String message) {
		if (!run.finished.compareAndSet(false, true)) {
			return;
		}
		// no timer lock: retry() sets the timer before it reads finished
		cancel(run.retryTimer);
		String text = (message != null) ? truncate(message) : describe(error);
		JobExecution done = run.started.finish(status, now(), run.attempts, text);
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
			released(run.lease, done, written.join(), null);
			finished(run, done, status, error, text);
			return;
		}
		// the worker is free once the release is sent; the rest follows when it is written,
		// so that listeners and callers see the execution in the history
		Thread finishing = Thread.currentThread();
		release.whenComplete((held, failure) -> {
			Runnable rest = () -> {
				released(run.lease, done, held, failure);
				finished(run, done, status, error, text);
			};
			if (Thread.currentThread() == finishing) {
				rest.run();
			}
			else {
				this.dispatcher.follow(rest);
			}
		});
	}

	private void finished(Run run, JobExecution done, ExecutionStatus status, Throwable error, String text) {
		if (!this.lock.recordsHistory()) {
			record(done);
		}
		switch (status) {
			case SUCCEEDED -> {
				this.listener.onSucceeded(done);
				if (logger.isDebugEnabled()) {
					logger.debug("Job '{}' execution {} succeeded in {}ms ({} attempt(s))", done.job(), done.id(),
							done.duration().toMillis(), done.attempts());
				}
			}
			case FAILED -> {
				this.listener.onFailed(done, error);
				logger.error("Job '{}' execution {} failed after {} attempt(s)", done.job(), done.id(), done.attempts(),
						error);
			}
			case TIMED_OUT -> {
				this.listener.onTimedOut(done);
				logger.warn("Job '{}' execution {} timed out after {} attempt(s)", done.job(), done.id(),
						done.attempts());
			}
			default -> {
				this.listener.onInterrupted(done);
				logger.warn("Job '{}' execution {} interrupted: {}", done.job(), done.id(), text);
			}
		}
		synchronized (run.fire.job) {
			run.fire.job.running--;
		}
		this.runs.remove(run);
		if (this.phase != Phase.RUNNING) {
			synchronized (this.runs) {
				this.runs.notifyAll();
			}
		}
		complete(run.fire, done);
		ended(run.fire);
	}

	private void release(Lease lease, JobExecution execution) {
		try {
			released(lease, execution, this.lock.release(lease, execution), null);
		}
		catch (RuntimeException ex) {
			released(lease, execution, null, ex);
		}
	}

	private void released(Lease lease, JobExecution execution, Boolean held, Throwable failure) {
		if (failure == null) {
			if (!Boolean.TRUE.equals(held) && lease.exclusive()) {
				logger.warn("Job '{}' execution {} no longer held its lock when it ended", execution.job(),
						execution.id());
			}
			return;
		}
		Throwable cause = (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause()
				: failure;
		logger.warn("Job '{}' execution {} could not release its lock: {}", execution.job(), execution.id(),
				cause.toString());
		if (this.lock.recordsHistory()) {
			record(execution);
		}
	}

	private void skippedWithLease(Fire fire, SkipReason reason, String message, Lease lease) {
		JobExecution skipped = skippedExecution(fire, reason, message, lease.fencingToken());
		release(lease, skipped);
		if (!this.lock.recordsHistory()) {
			record(skipped);
		}
		notifySkipped(fire, skipped, reason);
	}

	private void skipped(Fire fire, SkipReason reason, String message, long fencingToken) {
		JobExecution skipped = skippedExecution(fire, reason, message, fencingToken);
		record(skipped);
		notifySkipped(fire, skipped, reason);
	}

	private JobExecution skippedExecution(Fire fire, SkipReason reason, String message, long fencingToken) {
		Instant now = now();
		String text = (message != null) ? reason.tag() + ": " + truncate(message) : reason.tag();
		return new JobExecution(fire.executionId, fire.job.name, fire.scheduledTime, now, now, ExecutionStatus.SKIPPED,
				0, text, this.instanceId, fencingToken, fire.trigger);
	}

	private void notifySkipped(Fire fire, JobExecution skipped, SkipReason reason) {
		this.listener.onSkipped(skipped, reason);
		if (reason == SkipReason.STORE_UNAVAILABLE || reason == SkipReason.MISFIRE) {
			logger.warn("Job '{}' skipped the fire at {}: {}", skipped.job(), skipped.scheduledTime(),
					skipped.errorMessage());
		}
		else if (logger.isDebugEnabled()) {
			logger.debug("Job '{}' skipped the fire at {}: {}", skipped.job(), skipped.scheduledTime(),
					skipped.errorMessage());
		}
		complete(fire, skipped);
		ended(fire);
	}

	private void complete(Fire fire, JobExecution execution) {
		if (fire.future != null) {
			fire.future.complete(execution);
		}
	}

	/** Bookkeeping once a fire has ended, whatever happened to it. */
	private void ended(Fire fire) {
		Job job = fire.job;
		Fire next = null;
		synchronized (job) {
			job.inFlight--;
			if (job.running == 0) {
				if (job.pending != null) {
					next = job.pending;
					job.pending = null;
				}
				else if (!job.backlog.isEmpty() && (fire.fromBacklog || job.inFlight == 0)) {
					next = job.backlog.pollFirst();
				}
				if (next != null) {
					job.inFlight++;
				}
			}
		}
		if (next != null && !job.removed && this.phase == Phase.RUNNING) {
			submit(next);
		}
		else if (next != null) {
			synchronized (job) {
				job.inFlight--;
			}
		}
		if (job.definition.schedule().fromCompletion() && fire.trigger != Trigger.MANUAL && !job.removed
				&& this.phase == Phase.RUNNING) {
			armNext(job, job.definition.schedule().next(now()));
		}
	}

	private void record(JobExecution execution) {
		try {
			this.history.record(execution);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not record execution {} of job '{}' ({}): {}", execution.id(), execution.job(),
					execution.status(), ex.toString());
		}
	}

	private static String describe(Throwable error) {
		if (error == null) {
			return null;
		}
		return truncate(error.toString());
	}

	private static String truncate(String text) {
		return (text.length() <= MESSAGE_LIMIT) ? text : text.substring(0, MESSAGE_LIMIT - 3) + "...";
	}

	// Runtime API

	@Override
	public List<JobInfo> jobs() {
		return this.jobs.values()
			.stream()
			.sorted(Comparator.comparing((job) -> job.name))
			.map(this::info)
			.toList();
	}

	@Override
	public JobInfo job(String name) {
		return info(require(name));
	}

	private JobInfo info(Job job) {
		JobDefinition definition = job.definition;
		boolean running;
		synchronized (job) {
			running = job.running > 0;
		}
		boolean paused = false;
		JobExecution last = null;
		try {
			paused = this.state.isPaused(job.name);
			List<JobExecution> recent = this.history.recent(job.name, 1);
			last = recent.isEmpty() ? null : recent.get(0);
		}
		catch (RuntimeException ex) {
			logger.debug("Could not read the state of job '{}': {}", job.name, ex.toString());
		}
		return new JobInfo(job.name, definition.schedule().toString(), definition.schedule().zone(), job.nextFire(),
				definition.enabled(), paused, running, last, definition.tags(), definition.timeout(),
				definition.retry(), definition.overlap(), definition.misfire());
	}

	@Override
	public List<Instant> nextFireTimes(String name, int count) {
		Job job = require(name);
		List<Instant> times = new ArrayList<>();
		Instant next = job.nextFire();
		Schedule schedule = job.definition.schedule();
		while (next != null && times.size() < count) {
			times.add(next);
			next = schedule.fromCompletion() ? null : schedule.next(next).orElse(null);
		}
		return times;
	}

	@Override
	public void pause(String name) {
		require(name);
		this.state.pause(name);
		logger.info("Job '{}' paused", name);
	}

	@Override
	public void resume(String name) {
		require(name);
		this.state.resume(name);
		logger.info("Job '{}' resumed", name);
	}

	@Override
	public Set<String> pauseTag(String tag) {
		Set<String> names = namesWithTag(tag);
		names.forEach(this::pause);
		return names;
	}

	@Override
	public Set<String> resumeTag(String tag) {
		Set<String> names = namesWithTag(tag);
		names.forEach(this::resume);
		return names;
	}

	private Set<String> namesWithTag(String tag) {
		Set<String> names = new LinkedHashSet<>();
		this.jobs.values()
			.stream()
			.filter((job) -> job.definition.tags().contains(tag))
			.map((job) -> job.name)
			.sorted()
			.forEach(names::add);
		return names;
	}

	@Override
	public JobRun trigger(String name) {
		Job job = require(name);
		if (this.phase == Phase.STOPPING || this.phase == Phase.STOPPED) {
			throw new IllegalStateException("Cannot run job '" + name + "': the scheduler is stopped");
		}
		Instant now = now();
		JobRun future = new JobRun(ExecutionIds.next(now.toEpochMilli()));
		Fire fire = newFire(job, now, Trigger.MANUAL, future);
		if (!job.definition.enabled()) {
			synchronized (job) {
				job.inFlight++;
			}
			skipped(fire, SkipReason.DISABLED, "job '" + name + "' is disabled", 0);
		}
		else {
			dispatch(fire);
		}
		return future;
	}

	@Override
	public List<JobExecution> history(String name, int limit) {
		require(name);
		return this.history.recent(name, limit);
	}

	@Override
	public JobStats stats(String name) {
		require(name);
		return this.history.stats(name);
	}

	private Job require(String name) {
		Job job = (name != null) ? this.jobs.get(name) : null;
		if (job == null) {
			throw new NoSuchJobException(name);
		}
		return job;
	}

	/**
	 * Identifier of this instance, as recorded in executions.
	 * @return the instance id
	 */
	public String instanceId() {
		return this.instanceId;
	}

	@Override
	public String toString() {
		return "TickworkEngine[instance " + this.instanceId + ", " + this.jobs.size() + " jobs, " + this.phase + "]";
	}

	private enum Phase {

		NEW, RUNNING, STOPPING, STOPPED

	}

	/**
	 * Builds a {@link TickworkEngine}. Not thread-safe.
	 *
	 * @since 0.1.0
	 */
	public static final class Builder {

		private Clock clock = Clock.systemUTC();

		private Executor executor;

		private JobLock lock;

		private JobHistory history;

		private JobStateStore state;

		private JobListener listener = JobListener.NO_OP;

		private String instanceId = "local";

		private Duration tickInterval = Duration.ofSeconds(1);

		private int maxConcurrent = 16;

		private Duration misfireThreshold = Duration.ofSeconds(5);

		private Duration shutdownTimeout = Duration.ofSeconds(30);

		private Duration lockTtl = Duration.ofSeconds(30);

		private boolean ownTicker = true;

		private Duration startLead = DEFAULT_START_LEAD;

		private UnaryOperator<JobDefinition> customizer = UnaryOperator.identity();

		private final List<Consumer<Set<String>>> maintenance = new ArrayList<>();

		private Builder() {
		}

		/**
		 * Adds a task that the engine runs in the background about once per lock time to
		 * live while it runs, with the names of the registered jobs; a store uses it to
		 * flush buffered writes and find abandoned executions.
		 * @param task the task
		 * @return this builder
		 */
		public Builder maintenance(Consumer<Set<String>> task) {
			this.maintenance.add(Objects.requireNonNull(task, "task must not be null"));
			return this;
		}

		/**
		 * Sets the clock that decides when fires are due. Defaults to the UTC system clock.
		 * @param clock the clock
		 * @return this builder
		 */
		public Builder clock(Clock clock) {
			this.clock = Objects.requireNonNull(clock, "clock must not be null");
			return this;
		}

		/**
		 * Sets the executor that runs attempts and the claims of a lock that blocks; the
		 * engine itself keeps at most {@link #maxConcurrent(int)} attempts at once.
		 * @param executor the executor
		 * @return this builder
		 */
		public Builder executor(Executor executor) {
			this.executor = executor;
			return this;
		}

		/**
		 * Sets the lock that claims fires.
		 * @param lock the lock
		 * @return this builder
		 */
		public Builder lock(JobLock lock) {
			this.lock = lock;
			return this;
		}

		/**
		 * Sets the execution history.
		 * @param history the history
		 * @return this builder
		 */
		public Builder history(JobHistory history) {
			this.history = history;
			return this;
		}

		/**
		 * Sets the store of pauses and last fires.
		 * @param state the state store
		 * @return this builder
		 */
		public Builder state(JobStateStore state) {
			this.state = state;
			return this;
		}

		/**
		 * Sets the listener of executions.
		 * @param listener the listener
		 * @return this builder
		 */
		public Builder listener(JobListener listener) {
			this.listener = Objects.requireNonNull(listener, "listener must not be null");
			return this;
		}

		/**
		 * Sets the identifier of this instance.
		 * @param instanceId the instance id
		 * @return this builder
		 */
		public Builder instanceId(String instanceId) {
			this.instanceId = Objects.requireNonNull(instanceId, "instanceId must not be null");
			return this;
		}

		/**
		 * Sets the longest time the ticker sleeps.
		 * @param tickInterval the tick interval
		 * @return this builder
		 */
		public Builder tickInterval(Duration tickInterval) {
			this.tickInterval = tickInterval;
			return this;
		}

		/**
		 * Sets the maximum number of attempts that run at once. Claims do not count: up to
		 * four times as many may be in flight, and none is sent while this many won fires
		 * wait for a worker.
		 * @param maxConcurrent the limit
		 * @return this builder
		 */
		public Builder maxConcurrent(int maxConcurrent) {
			this.maxConcurrent = maxConcurrent;
			return this;
		}

		/**
		 * Sets how late a fire may be found before the misfire policy applies.
		 * @param misfireThreshold the threshold
		 * @return this builder
		 */
		public Builder misfireThreshold(Duration misfireThreshold) {
			this.misfireThreshold = misfireThreshold;
			return this;
		}

		/**
		 * Sets how long {@link TickworkEngine#stop()} waits for running executions
		 * before interrupting them.
		 * @param shutdownTimeout the timeout
		 * @return this builder
		 */
		public Builder shutdownTimeout(Duration shutdownTimeout) {
			this.shutdownTimeout = Objects.requireNonNull(shutdownTimeout, "shutdownTimeout must not be null");
			return this;
		}

		/**
		 * Sets the time to live of a fire's lock; it is renewed every third of it.
		 * @param lockTtl the lock's time to live
		 * @return this builder
		 */
		public Builder lockTtl(Duration lockTtl) {
			this.lockTtl = lockTtl;
			return this;
		}

		/**
		 * Sets how long before its scheduled time the ticker hands a fire out: its claim
		 * is sent and a worker takes it, then waits for the scheduled time, so that the
		 * hand-off does not make the start late. A fire never starts early; it is
		 * claimed up to this much early, and an execution of the same job that ends
		 * within the lead is seen as overlapping. Zero hands fires out when due. Between
		 * zero and 10 ms; defaults to 800 µs, which is not a whole number of milliseconds,
		 * so that the ticker does not wake when the fires due on a whole millisecond start.
		 * @param startLead the lead
		 * @return this builder
		 * @since 0.1.0
		 */
		public Builder startLead(Duration startLead) {
			this.startLead = startLead;
			return this;
		}

		/**
		 * Sets whether {@link TickworkEngine#start()} starts a ticker thread. Without
		 * one, fires are processed only when {@link TickworkEngine#tick()} is called,
		 * which is how tests drive the engine with a controllable clock.
		 * @param ownTicker whether to start a ticker thread
		 * @return this builder
		 */
		public Builder ticker(boolean ownTicker) {
			this.ownTicker = ownTicker;
			return this;
		}

		/**
		 * Sets a function applied to definitions given to
		 * {@link TickworkEngine#schedule(JobDefinition)}, such as per-job overrides
		 * from configuration.
		 * @param customizer the function
		 * @return this builder
		 */
		public Builder definitionCustomizer(UnaryOperator<JobDefinition> customizer) {
			this.customizer = Objects.requireNonNull(customizer, "customizer must not be null");
			return this;
		}

		/**
		 * Builds the engine.
		 * @return the engine
		 */
		public TickworkEngine build() {
			return new TickworkEngine(this);
		}

	}

}
