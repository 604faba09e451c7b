package io.tickwork.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import io.tickwork.ExecutionStatus;
import io.tickwork.JobExecution;
import io.tickwork.QueuedJob;
import io.tickwork.QueuedJob.Status;
import io.tickwork.queue.QueueStore.Claim;
import io.tickwork.queue.QueueStore.Delivery;

/**
 * Runs the jobs of one handled type on this instance: claims as many as it has free
 * slots, runs each attempt on a worker with its deadline, keeps the leases alive, and
 * ends each attempt in the store (succeeded, retried later, dead letter, or given back).
 * Claims and renewals run on a lane of the type's own, timers on the queue's timer thread,
 * attempts on the workers.
 */
final class TypeWorker {

	private static final Logger logger = LoggerFactory.getLogger(TypeWorker.class);

	final HandlerDefinition handler;

	private final QueueEngine engine;

	private final Map<String, Attempt> active = new ConcurrentHashMap<>();

	private final AtomicBoolean pumpQueued = new AtomicBoolean();

	/** Succeeded attempts whose end the next claim sends, with their jobs, in order. */
	private final ConcurrentLinkedQueue<QueuedJob> acks = new ConcurrentLinkedQueue<>();

	private final AttemptEnds ends;

	private final Leases leases;

	private final AttemptRunner runner;

	/** The worker slots and the claims under way. */
	private final ClaimSlots slots;

	/**
	 * Runs this type's claims and renewals one at a time, off the timer thread, so that a
	 * store node that does not answer holds up only the types it serves.
	 */
	private final ThreadPoolExecutor lane;

	/** Guarded by this: the pending upkeep and its time, {@code null} once it fired. */
	private ScheduledFuture<?> upkeep;

	private Instant upkeepAt;

	/** When the store last failed, to log it once in a while. */
	private volatile long lastFailureLog;

	TypeWorker(QueueEngine engine, HandlerDefinition handler) {
		this.engine = engine;
		this.handler = handler;
		this.slots = new ClaimSlots(handler.concurrency());
		this.lane = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), (runnable) -> {
			Thread thread = new Thread(runnable, "tickwork-queue-" + handler.type());
			thread.setDaemon(true);
			return thread;
		});
		this.lane.allowCoreThreadTimeOut(true);
		this.ends = new AttemptEnds(engine, handler, this.acks);
		this.leases = new Leases(engine, handler.type(), this.active, this::logStoreFailure);
		this.runner = new AttemptRunner(engine, handler, this.ends,
				(attempt) -> this.active.get(attempt.job.id()) == attempt, this::logStoreFailure);
	}

	private void onLane(Runnable task) {
		try {
			this.lane.execute(task);
		}
		catch (RejectedExecutionException ex) {
			// stopped
		}
	}

	String type() {
		return this.handler.type();
	}

	int running() {
		return this.active.size();
	}

	/** There may be work: claims on the timer thread soon, once however often asked. */
	void wake(Instant due) {
		if (due == null || !due.isAfter(this.engine.clock.instant())) {
			this.slots.noticed();
			if (this.slots.hasFree() && this.pumpQueued.compareAndSet(false, true)) {
				onLane(this::pump);
			}
		}
		else {
			upkeepAt(due);
		}
	}

	/** Claims on the lane now, even without a free slot (to move and reap). */
	void poll() {
		if (this.pumpQueued.compareAndSet(false, true)) {
			onLane(this::pump);
		}
	}

	/** Extends the leases on the lane. */
	void renewSoon() {
		onLane(() -> this.leases.renew(now()));
	}

	private synchronized void upkeepAt(Instant due) {
		if (this.upkeepAt != null && !this.upkeepAt.isAfter(due)) {
			return;
		}
		if (this.upkeep != null) {
			this.upkeep.cancel(false);
		}
		long delay = Math.max(0, Duration.between(this.engine.clock.instant(), due).toNanos());
		this.upkeepAt = due;
		try {
			this.upkeep = this.engine.timer.schedule(() -> upkeepDue(due), delay, TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			// stopped
		}
	}

	/** Timer thread: the upkeep is due; it is no longer pending before its claim runs. */
	private void upkeepDue(Instant due) {
		synchronized (this) {
			if (due.equals(this.upkeepAt)) {
				this.upkeepAt = null;
				this.upkeep = null;
			}
		}
		poll();
	}

	/**
	 * Lane: one claim of as many jobs as there are free slots, unless one under way will
	 * look again when it ends.
	 */
	private void pump() {
		if (this.slots.start()) {
			claim(false);
		}
		else {
			this.pumpQueued.set(false);
			// it may have ended meanwhile
			if (!this.slots.anyUnderWay()) {
				poll();
			}
		}
	}

	/**
	 * One claim of as many jobs as there are free slots, carrying the ends of the attempts
	 * that succeeded; the claimed jobs start on workers, but one of them if the caller, a
	 * worker that just finished a job, keeps it to run next (no thread hand-off). The
	 * caller started it ({@link ClaimSlots#start()}); when it ends, work left over (ends that
	 * came meanwhile, more ready jobs) is looked at again.
	 * @return the kept attempt, or {@code null}
	 */
	private Attempt claim(boolean keepOne) {
		try {
			this.pumpQueued.set(false);
			return claimNow(keepOne);
		}
		finally {
			this.slots.ended();
			// ends that came while the claim was under way go with the next one, and work left goes on
			if (!this.acks.isEmpty() || wantsMore()) {
				poll();
			}
		}
	}

	/** Whether the store may hold jobs that this worker could take now. */
	private boolean wantsMore() {
		return this.slots.wantsMore() && this.handler.enabled() && this.engine.isAccepting();
	}

	private Attempt claimNow(boolean keepOne) {
		boolean accepting = this.engine.isAccepting();
		if (!accepting && this.acks.isEmpty()) {
			return null;
		}
		// the free slots are this claim's until it is answered: another under way takes only later ones
		ClaimSlots.Reservation reservation = this.slots.reserve(accepting && this.handler.enabled());
		int max = reservation.slots();
		List<QueuedJob> ending = new ArrayList<>();
		for (QueuedJob ack; (ack = this.acks.poll()) != null;) {
			ending.add(ack);
		}
		List<Map.Entry<String, Long>> succeeded = new ArrayList<>(ending.size());
		ending.forEach((job) -> succeeded.add(Map.entry(job.id(), job.fencingToken())));
		Claim claim;
		Instant now = now();
		try {
			claim = this.engine.store.claim(type(), this.engine.instanceId, max, now, this.engine.lease,
					this.handler.retry().maxAttempts(), succeeded, this.engine.settings(type()).retention());
		}
		catch (RuntimeException ex) {
			// sent again with the next claim: an end already applied is then refused, harmlessly
			this.acks.addAll(ending);
			this.slots.failed(reservation);
			logStoreFailure("claim jobs", ex);
			upkeepAt(now.plus(this.engine.retryAfterFailure));
			return null;
		}
		for (QueuedJob job : ending) {
			if (claim.lostAcks().contains(job.id())) {
				logger.warn("Queued job '{}' {} attempt {} succeeded, but its lease was lost before its end was "
						+ "recorded: it may run again", type(), job.id(), job.attempts());
			}
			else {
				this.engine.outcomes.ended(AttemptEnds.finished(job, Status.SUCCEEDED, now, job.lastError()));
			}
		}
		this.slots.answered(reservation, claim.delivered().size());
		if (!accepting) {
			return null;
		}
		for (QueuedJob lost : claim.abandoned()) {
			this.ends.abandoned(lost, now);
		}
		Attempt kept = null;
		for (Delivery delivery : claim.delivered()) {
			Attempt attempt = attempt(delivery, now);
			if (keepOne && kept == null) {
				kept = attempt;
			}
			else {
				start(attempt);
			}
		}
		if (claim.next() != null) {
			upkeepAt(claim.next());
		}
		return kept;
	}

	private Attempt attempt(Delivery delivery, Instant now) {
		QueuedJob job = delivery.job();
		JobExecution started = new JobExecution(job.id() + "#" + job.fencingToken(), QueueEngine.historyName(type()),
				job.scheduledAt(), now, null, ExecutionStatus.RUNNING, job.attempts(), null,
				this.engine.instanceId, job.fencingToken(), JobExecution.Trigger.QUEUE);
		Duration timeout = (job.timeout() != null) ? job.timeout() : this.handler.timeout();
		Attempt attempt = new Attempt(job, started, (timeout != null) ? now.plus(timeout) : null,
				delivery.leaseUntil());
		this.active.put(job.id(), attempt);
		return attempt;
	}

	private void start(Attempt attempt) {
		QueuedJob job = attempt.job;
		try {
			this.engine.workers.execute(() -> run(attempt));
		}
		catch (RejectedExecutionException ex) {
			this.active.remove(job.id());
			this.slots.freed();
			try {
				this.engine.store.release(type(), job.id(), job.fencingToken());
			}
			catch (RuntimeException failure) {
				logStoreFailure("give back job " + job.id(), failure);
			}
		}
	}

	/**
	 * Worker thread: the attempt from start to end, then, while there is work, the next
	 * claim and one of the jobs it brings, on the same thread.
	 */
	private void run(Attempt first) {
		for (Attempt attempt = first; attempt != null;) {
			runOne(attempt);
			attempt = null;
			if (!this.acks.isEmpty() || wantsMore()) {
				if (this.slots.start()) {
					attempt = claim(true);
				}
				else if (!this.slots.anyUnderWay()) {
					// one ended between the two looks; a claim still under way looks again when it ends
					poll();
				}
			}
		}
	}

	private void runOne(Attempt attempt) {
		MDC.put("job", type());
		MDC.put("execution", attempt.started.id());
		try {
			this.runner.run(attempt);
		}
		finally {
			this.active.remove(attempt.job.id());
			this.slots.freed();
			MDC.remove("job");
			MDC.remove("execution");
		}
	}

	/** Stops every running attempt for shutdown: they go back to the queue. */
	void interruptAll() {
		this.active.values().forEach((attempt) -> {
			attempt.shutdown = true;
			attempt.stop("shutdown");
		});
	}

	synchronized void cancelTimers() {
		if (this.upkeep != null) {
			this.upkeep.cancel(false);
		}
		this.upkeep = null;
		this.upkeepAt = null;
	}

	/** Sends the ends of succeeded attempts that wait for a claim, and waits for them a while. */
	void flush() {
		if (this.acks.isEmpty()) {
			return;
		}
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		try {
			// a claim under way takes no more ends: the next one does, once it is answered
			while (!this.acks.isEmpty()) {
				this.lane.submit(this::pump).get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
				if (!this.acks.isEmpty()) {
					if (System.nanoTime() > deadline) {
						throw new TimeoutException();
					}
					Thread.sleep(5);
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			logger.warn("Queue '{}' was interrupted while recording the end of {} succeeded job(s) at shutdown; they"
					+ " will run again once their lease expires", type(), this.acks.size());
		}
		catch (Exception ex) {
			logger.warn("Queue '{}' could not record the end of {} succeeded job(s) at shutdown; they will run again"
					+ " once their lease expires", type(), this.acks.size());
		}
	}

	void close() {
		this.lane.shutdownNow();
	}

	private void logStoreFailure(String what, RuntimeException ex) {
		long now = System.nanoTime();
		if (now - this.lastFailureLog > TimeUnit.SECONDS.toNanos(10) || this.lastFailureLog == 0) {
			this.lastFailureLog = now;
			logger.error("Queue '{}' could not {}: {}", type(), what, ex.toString());
		}
	}

	/** The current time in milliseconds, as the stores keep it. */
	private Instant now() {
		return this.engine.clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
	}

}
