package io.tickwork;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tickwork.JobExecution.Trigger;
import io.tickwork.lock.Claim;
import io.tickwork.lock.ClaimRequest;
import io.tickwork.lock.JobLock;
import io.tickwork.lock.Lease;

/**
 * Named locks for any code, held cluster-wide in the same store as the jobs' locks (Redis
 * when Tickwork runs on Redis, this JVM's memory otherwise).
 * <p>
 * A lock is taken atomically with a random token and a new fencing token, expires after
 * its time to live unless renewed, is renewed every third of that time while held, and is
 * released only by its own holder. A lock whose holder dies is free again when its time
 * to live ends. The lock's namespace is its own: a lock named like a job does not hold
 * up the job. Waiting for a lock polls the store, with a backoff of up to
 * {@value #MAX_POLL_MILLIS} ms. Thread-safe.
 *
 * @author Tickwork team
 * @since 0.1.0
 */
public class ClusterLocks implements AutoCloseable {

	/** The longest pause between two tries of a waiting acquisition, in milliseconds. */
	public static final int MAX_POLL_MILLIS = 200;

	/** Prefix of a lock's name in the store, which no job name can take. */
	static final String NAMESPACE = "lock:";

	private static final Logger logger = LoggerFactory.getLogger(ClusterLocks.class);

	private final JobLock lock;

	private final String instanceId;

	private final Duration ttl;

	private final Clock clock;

	private final ScheduledThreadPoolExecutor renewals;

	private final Set<Hold> holds = ConcurrentHashMap.newKeySet();

	/**
	 * Creates a new instance.
	 * @param lock the store's lock, one that does not record history
	 * @param instanceId this instance, kept with each hold
	 * @param ttl how long a lock lives unless renewed
	 * @param clock the clock that reckons expiries and waits
	 */
	public ClusterLocks(JobLock lock, String instanceId, Duration ttl, Clock clock) {
		this.lock = Objects.requireNonNull(lock, "lock must not be null");
		this.instanceId = Objects.requireNonNull(instanceId, "instanceId must not be null");
		this.clock = Objects.requireNonNull(clock, "clock must not be null");
		if (ttl == null || ttl.toMillis() < 3) {
			throw new IllegalArgumentException("ttl must be at least 3ms, was " + ttl);
		}
		this.ttl = ttl;
		this.renewals = new ScheduledThreadPoolExecutor(1, (runnable) -> {
			Thread thread = new Thread(runnable, "tickwork-locks");
			thread.setDaemon(true);
			return thread;
		});
		this.renewals.setRemoveOnCancelPolicy(true);
		this.renewals.setKeepAliveTime(10, TimeUnit.SECONDS);
		this.renewals.allowCoreThreadTimeOut(true);
	}

	/**
	 * Takes a lock if it is free.
	 * @param name the lock's name: 1 to 200 letters, digits, {@code .}, {@code _} or
	 * {@code -}, starting with a letter or digit
	 * @return the held lock, or empty if another holder has it
	 * @throws IllegalArgumentException if the name is not valid
	 * @throws RuntimeException if the store cannot be reached within its deadline
	 */
	public Optional<ClusterLock> tryAcquire(String name) {
		String key = NAMESPACE + checkName(name);
		Instant sent = this.clock.instant();
		String executionId = UUID.randomUUID().toString();
		Claim claim = this.lock
			.claim(new ClaimRequest(key, sent, Trigger.MANUAL, true, this.ttl, this.instanceId, executionId, sent,
					false));
		if (claim.status() != Claim.Status.ACQUIRED) {
			return Optional.empty();
		}
		Hold hold = new Hold(name, claim.lease(), sent, Thread.currentThread());
		this.holds.add(hold);
		hold.scheduleRenewal(this.ttl.dividedBy(3));
		return Optional.of(hold);
	}

	/**
	 * Takes a lock, waiting up to the given time for it to be free.
	 * @param name the lock's name
	 * @param wait how long to wait at most; zero tries once
	 * @return the held lock, or empty if it was not free within the wait
	 * @throws InterruptedException if the thread is interrupted while waiting
	 * @throws RuntimeException if the store could not be reached at the end of the wait
	 */
	public Optional<ClusterLock> acquire(String name, Duration wait) throws InterruptedException {
		checkName(name);
		Objects.requireNonNull(wait, "wait must not be null");
		Instant deadline = this.clock.instant().plus(wait);
		long pause = 10;
		while (true) {
			RuntimeException failure = null;
			try {
				Optional<ClusterLock> held = tryAcquire(name);
				if (held.isPresent()) {
					return held;
				}
			}
			catch (RuntimeException ex) {
				failure = ex;
			}
			long left = Duration.between(this.clock.instant(), deadline).toMillis();
			if (left <= 0) {
				if (failure != null) {
					throw failure;
				}
				return Optional.empty();
			}
			long sleep = Math.min(left, pause + ThreadLocalRandom.current().nextLong(pause / 2 + 1));
			Thread.sleep(sleep);
			pause = Math.min(MAX_POLL_MILLIS, pause * 2);
		}
	}

	/**
	 * Runs a task under a lock if the lock is free, on the calling thread.
	 * @param name the lock's name
	 * @param task the task
	 * @return whether the task ran; {@code false} if another holder has the lock
	 * @throws ClusterLockLostException if the lock was lost while the task ran
	 * @throws RuntimeException if the store cannot be reached within its deadline, or
	 * what the task threw
	 */
	public boolean tryRun(String name, Runnable task) {
		Objects.requireNonNull(task, "task must not be null");
		Optional<ClusterLock> held = tryAcquire(name);
		if (held.isEmpty()) {
			return false;
		}
		run((Hold) held.get(), task);
		return true;
	}

	/**
	 * Runs a task under a lock, waiting up to the given time for the lock to be free.
	 * @param name the lock's name
	 * @param wait how long to wait at most for the lock
	 * @param task the task, run on the calling thread
	 * @return whether the task ran; {@code false} if the lock was not free within the wait
	 * @throws InterruptedException if the thread is interrupted while waiting
	 * @throws ClusterLockLostException if the lock was lost while the task ran
	 */
	public boolean runWaiting(String name, Duration wait, Runnable task) throws InterruptedException {
		Objects.requireNonNull(task, "task must not be null");
		Optional<ClusterLock> held = acquire(name, wait);
		if (held.isEmpty()) {
			return false;
		}
		run((Hold) held.get(), task);
		return true;
	}

	private static void run(Hold hold, Runnable task) {
		try {
			task.run();
		}
		finally {
			hold.close();
			if (hold.interruptedOwner) {
				// the interrupt was this lock's signal, not the caller's: the exception says it
				Thread.interrupted();
			}
		}
		if (hold.isLost()) {
			throw new ClusterLockLostException(hold.name, hold.lostBecause);
		}
	}

	/**
	 * How long a lock lives unless renewed.
	 * @return the time to live
	 */
	public Duration ttl() {
		return this.ttl;
	}

	/**
	 * Releases the locks still held and stops renewing.
	 */
	@Override
	public void close() {
		for (Hold hold : this.holds) {
			hold.close();
		}
		this.renewals.shutdownNow();
	}

	private static String checkName(String name) {
		try {
			return JobDefinition.checkName(name);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("Lock name '" + name
					+ "' is not valid: use 1 to 200 letters, digits, '.', '_' or '-', starting with a letter or digit");
		}
	}

	/** One hold of a lock: renews it, notices its loss, releases it. */
	private final class Hold implements ClusterLock {

		private final String name;

		private final Lease lease;

		private final Instant acquiredAt;

		private final Thread owner;

		private Instant validUntil;

		private ScheduledFuture<?> renewal;

		private boolean closed;

		private volatile boolean lost;

		private volatile String lostBecause;

		private volatile boolean interruptedOwner;

		Hold(String name, Lease lease, Instant sent, Thread owner) {
			this.name = name;
			this.lease = lease;
			this.acquiredAt = sent;
			this.owner = owner;
			this.validUntil = sent.plus(ClusterLocks.this.ttl);
		}

		@Override
		public String name() {
			return this.name;
		}

		@Override
		public long fencingToken() {
			return this.lease.fencingToken();
		}

		@Override
		public synchronized boolean isHeld() {
			return !this.closed && !this.lost;
		}

		@Override
		public boolean isLost() {
			return this.lost;
		}

		synchronized void scheduleRenewal(Duration delay) {
			if (this.closed || this.lost) {
				return;
			}
			try {
				this.renewal = ClusterLocks.this.renewals.schedule(this::renew, Math.max(1, delay.toMillis()),
						TimeUnit.MILLISECONDS);
			}
			catch (RuntimeException ex) {
				// shut down: the lock expires at the end of its time to live
			}
		}

		private void renew() {
			synchronized (this) {
				if (this.closed || this.lost) {
					return;
				}
			}
			Instant sent = ClusterLocks.this.clock.instant();
			try {
				ClusterLocks.this.lock.extendAsync(this.lease, ClusterLocks.this.ttl)
					.whenComplete((held, failure) -> renewed(sent, held, failure));
			}
			catch (RuntimeException ex) {
				renewed(sent, null, ex);
			}
		}

		private void renewed(Instant sent, Boolean held, Throwable failure) {
			Duration ttl = ClusterLocks.this.ttl;
			if (failure == null && Boolean.TRUE.equals(held)) {
				synchronized (this) {
					this.validUntil = sent.plus(ttl);
				}
				scheduleRenewal(ttl.dividedBy(3));
			}
			else if (failure == null) {
				lose("another holder took it or it expired");
			}
			else {
				Throwable cause = (failure instanceof CompletionException && failure.getCause() != null)
						? failure.getCause() : failure;
				Duration left;
				synchronized (this) {
					left = Duration.between(ClusterLocks.this.clock.instant(), this.validUntil);
				}
				if (left.isNegative() || left.isZero()) {
					lose("the store could not be reached before it expired (" + cause + ")");
				}
				else {
					logger.warn("Cluster lock '{}' could not be renewed ({}); retrying, {} ms left", this.name, cause,
							left.toMillis());
					scheduleRenewal(left.dividedBy(2).compareTo(Duration.ofMillis(100)) < 0 ? left : left.dividedBy(2));
				}
			}
		}

		private void lose(String because) {
			synchronized (this) {
				if (this.closed || this.lost) {
					return;
				}
				this.lostBecause = because;
				this.lost = true;
				logger.warn("Cluster lock '{}' (fencing token {}) was lost: {}; interrupting its holder, thread '{}'",
						this.name, this.lease.fencingToken(), because, this.owner.getName());
				this.interruptedOwner = true;
				this.owner.interrupt();
			}
		}

		@Override
		public void close() {
			synchronized (this) {
				if (this.closed) {
					return;
				}
				this.closed = true;
				if (this.renewal != null) {
					this.renewal.cancel(false);
				}
			}
			ClusterLocks.this.holds.remove(this);
			Instant now = ClusterLocks.this.clock.instant();
			JobExecution released = new JobExecution(this.lease.executionId(), this.lease.job(), this.acquiredAt,
					this.acquiredAt, now, this.lost ? ExecutionStatus.INTERRUPTED : ExecutionStatus.SUCCEEDED, 1,
					this.lostBecause, ClusterLocks.this.instanceId, this.lease.fencingToken(), Trigger.MANUAL);
			try {
				ClusterLocks.this.lock.release(this.lease, released);
			}
			catch (RuntimeException ex) {
				logger.warn("Cluster lock '{}' could not be released ({}); it is released when the store answers, "
						+ "or expires", this.name, ex.toString());
			}
		}

		@Override
		public String toString() {
			return "ClusterLock[" + this.name + ", fencing token " + this.lease.fencingToken()
					+ (this.lost ? ", lost" : (isHeld() ? ", held" : ", released")) + "]";
		}

	}

}
