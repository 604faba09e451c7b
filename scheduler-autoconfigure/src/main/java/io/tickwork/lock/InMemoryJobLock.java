package io.tickwork.lock;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

import io.tickwork.JobExecution;
import io.tickwork.state.InMemoryJobStateStore;
import io.tickwork.state.JobStateStore;

/**
 * {@link JobLock} kept in this JVM, for a single instance. Locks expire after their time
 * to live like a shared lock would. Thread-safe.
 *
 * @author Tickwork team
 * @since 0.1.0
 */
public class InMemoryJobLock implements JobLock {

	private final JobStateStore state;

	private final Clock clock;

	private final ConcurrentHashMap<String, Slot> slots = new ConcurrentHashMap<>();

	/**
	 * Creates a new instance.
	 * @param state the store that knows paused jobs and claimed fires
	 * @param clock the clock that expires locks
	 */
	public InMemoryJobLock(JobStateStore state, Clock clock) {
		this.state = Objects.requireNonNull(state, "state must not be null");
		this.clock = Objects.requireNonNull(clock, "clock must not be null");
	}

	@Override
	public Claim claim(ClaimRequest request) {
		Slot slot = this.slots.get(request.job());
		if (slot == null) {
			// computeIfAbsent alone may lock the key's bin even when the slot exists
			slot = this.slots.computeIfAbsent(request.job(), (job) -> new Slot());
		}
		synchronized (slot) {
			if (request.checksFire()) {
				JobStateStore.FireAnswer fire = (request.missed() != null)
						? this.state.answerMissed(request.job(), request.scheduledTime(), request.missed().first(),
								request.missed().last())
						: this.state.answerFire(request.job(), request.scheduledTime());
				switch (fire.claim()) {
					case CLAIMED -> {
						return new Claim(Claim.Status.ALREADY_CLAIMED, null, fire.settledUntil(), fire.ahead());
					}
					case SUPERSEDED -> {
						return Claim.rejected(Claim.Status.SUPERSEDED, fire.settledUntil());
					}
					case TAKEN -> {
					}
				}
				if (this.state.isPaused(request.job())) {
					return Claim.rejected(Claim.Status.PAUSED);
				}
			}
			long now = this.clock.millis();
			if (request.exclusive()) {
				if (slot.holder != 0 && slot.expiresAt > now) {
					return Claim.rejected(Claim.Status.LOCKED);
				}
				slot.holder = slot.fencing + 1;
				slot.holderId = request.executionId().hashCode();
				slot.expiresAt = now + request.ttl().toMillis();
			}
			slot.fencing++;
			String token = request.exclusive() ? token(request.executionId(), slot.fencing) : request.executionId();
			return Claim.acquired(
					new Lease(request.job(), token, slot.fencing, request.scheduledTime(), request.exclusive(),
						request.executionId()));
		}
	}

	/**
	 * Claims on the calling thread when the state lives in memory, where nothing blocks;
	 * otherwise on the executor.
	 */
	@Override
	public CompletionStage<Claim> claimAsync(ClaimRequest request, Executor executor) {
		if (!(this.state instanceof InMemoryJobStateStore)) {
			return JobLock.super.claimAsync(request, executor);
		}
		try {
			return CompletableFuture.completedFuture(claim(request));
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	@Override
	public boolean extend(Lease lease, Duration ttl) {
		Slot slot = this.slots.get(lease.job());
		if (slot == null || !lease.exclusive()) {
			return !lease.exclusive();
		}
		synchronized (slot) {
			long now = this.clock.millis();
			if (!slot.isHeldBy(lease) || slot.expiresAt <= now) {
				return false;
			}
			slot.expiresAt = now + ttl.toMillis();
			return true;
		}
	}

	@Override
	public boolean release(Lease lease, JobExecution execution) {
		Slot slot = this.slots.get(lease.job());
		if (slot == null || !lease.exclusive()) {
			return !lease.exclusive();
		}
		synchronized (slot) {
			if (!slot.isHeldBy(lease)) {
				return false;
			}
			slot.holder = 0;
			return slot.expiresAt > this.clock.millis();
		}
	}

	private static String token(String executionId, long fencing) {
		return executionId + ":" + Long.toHexString(fencing);
	}

	/**
	 * A job's lock. It keeps its holder as numbers: a slot lives as long as its job, and
	 * pointing it at each claim's new token would make every young collection scan it.
	 */
	private static final class Slot {

		/** The fencing token of the claim that holds the lock, 0 when free. */
		private long holder;

		/** The hash of the holder's execution id. */
		private int holderId;

		private long expiresAt;

		private long fencing;

		/**
		 * Whether the lease is the one this slot's holding claim gave out: its token reads
		 * as the holder's, compared in place rather than rebuilt on every renewal and release.
		 */
		boolean isHeldBy(Lease lease) {
			if (this.holder == 0 || lease.fencingToken() != this.holder
					|| lease.executionId().hashCode() != this.holderId) {
				return false;
			}
			String token = lease.token();
			String id = lease.executionId();
			int colon = id.length();
			if (token.length() != colon + 1 + hexDigits(this.holder) || !token.startsWith(id)
					|| token.charAt(colon) != ':') {
				return false;
			}
			long rest = this.holder;
			for (int i = token.length() - 1; i > colon; i--, rest >>>= 4) {
				if (token.charAt(i) != Character.forDigit((int) (rest & 0xF), 16)) {
					return false;
				}
			}
			return true;
		}

		private static int hexDigits(long value) {
			return Math.max(1, (64 - Long.numberOfLeadingZeros(value) + 3) / 4);
		}

	}

}
