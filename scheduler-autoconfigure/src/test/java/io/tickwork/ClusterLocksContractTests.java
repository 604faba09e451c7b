package io.tickwork;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.tickwork.lock.Claim;
import io.tickwork.lock.ClaimRequest;
import io.tickwork.lock.JobLock;
import io.tickwork.lock.Lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * What {@link ClusterLocks} promises on every store: one holder at a time, growing
 * fencing tokens, renewal while held, waiting, and the signal of a lost lock.
 */
public abstract class ClusterLocksContractTests {

	private static final Duration TTL = Duration.ofMillis(600);

	/** Two instances' locks on one store, each through a lock whose renewals a test can refuse. */
	private final Refusing first = new Refusing();

	private final Refusing second = new Refusing();

	private ClusterLocks a;

	private ClusterLocks b;

	/**
	 * The store's lock; each call must give a lock on the same store.
	 * @return the lock
	 */
	protected abstract JobLock lock();

	private ClusterLocks a() {
		if (this.a == null) {
			this.first.delegate = lock();
			this.a = new ClusterLocks(this.first, "a", TTL, Clock.systemUTC());
		}
		return this.a;
	}

	private ClusterLocks b() {
		if (this.b == null) {
			this.second.delegate = lock();
			this.b = new ClusterLocks(this.second, "b", TTL, Clock.systemUTC());
		}
		return this.b;
	}

	@AfterEach
	void closeLocks() {
		if (this.a != null) {
			this.a.close();
		}
		if (this.b != null) {
			this.b.close();
		}
	}

	@Test
	void oneHolderAtATimeAndEachHoldHasALargerFencingToken() {
		ClusterLock held = a().tryAcquire("reports").orElseThrow();
		assertThat(held.isHeld()).isTrue();
		assertThat(b().tryAcquire("reports")).isEmpty();
		assertThat(a().tryAcquire("reports")).as("not reentrant").isEmpty();
		assertThat(b().tryAcquire("other")).isPresent();
		held.close();
		held.close();
		assertThat(held.isHeld()).isFalse();
		assertThat(held.isLost()).isFalse();
		ClusterLock next = b().tryAcquire("reports").orElseThrow();
		assertThat(next.fencingToken()).isGreaterThan(held.fencingToken());
		next.close();
	}

	@Test
	void tryRunRunsTheTaskOnlyWhenTheLockIsFree() {
		AtomicBoolean inner = new AtomicBoolean(true);
		boolean ran = a().tryRun("import", () -> inner.set(b().tryRun("import", () -> {
		})));
		assertThat(ran).isTrue();
		assertThat(inner).as("the other instance found it held").isFalse();
		assertThat(b().tryRun("import", () -> {
		})).as("free again after the task").isTrue();
	}

	@Test
	void aTaskThatThrowsReleasesTheLock() {
		assertThatExceptionOfType(IllegalStateException.class)
			.isThrownBy(() -> a().tryRun("import", () -> {
				throw new IllegalStateException("boom");
			}))
			.withMessage("boom");
		assertThat(b().tryAcquire("import")).isPresent();
	}

	@Test
	void aHeldLockIsRenewedPastItsTimeToLive() throws Exception {
		try (ClusterLock held = a().tryAcquire("long").orElseThrow()) {
			Thread.sleep(TTL.toMillis() * 3);
			assertThat(held.isHeld()).isTrue();
			assertThat(b().tryAcquire("long")).isEmpty();
		}
	}

	@Test
	void runWaitingRunsOnceTheHolderReleases() throws Exception {
		ClusterLock held = a().tryAcquire("batch").orElseThrow();
		CompletableFuture.runAsync(() -> {
			sleep(300);
			held.close();
		});
		AtomicBoolean ran = new AtomicBoolean();
		assertThat(b().runWaiting("batch", Duration.ofSeconds(5), () -> ran.set(true))).isTrue();
		assertThat(ran).isTrue();
	}

	@Test
	void runWaitingGivesUpAtTheEndOfTheWait() throws Exception {
		try (ClusterLock held = a().tryAcquire("batch").orElseThrow()) {
			long start = System.nanoTime();
			assertThat(b().runWaiting("batch", Duration.ofMillis(400), () -> {
				throw new AssertionError("must not run");
			})).isFalse();
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(380),
					Duration.ofSeconds(3));
			assertThat(held.isHeld()).isTrue();
		}
	}

	@Test
	void aLockOfAHolderThatStoppedRenewingIsFreeAfterItsTimeToLive() throws Exception {
		String executionId = "dead-holder";
		java.time.Instant now = java.time.Instant.now();
		Claim dead = lock().claim(new ClaimRequest(ClusterLocks.NAMESPACE + "orphaned", now,
				JobExecution.Trigger.MANUAL, true, Duration.ofMillis(300), "dead", executionId, now, false));
		assertThat(dead.status()).isEqualTo(Claim.Status.ACQUIRED);
		assertThat(a().tryAcquire("orphaned")).isEmpty();
		Thread.sleep(400);
		ClusterLock held = a().tryAcquire("orphaned").orElseThrow();
		assertThat(held.fencingToken()).isGreaterThan(dead.lease().fencingToken());
		held.close();
	}

	@Test
	void aLostLockInterruptsItsHolderAndTryRunSaysSo() {
		AtomicBoolean interrupted = new AtomicBoolean();
		assertThatExceptionOfType(ClusterLockLostException.class).isThrownBy(() -> a().tryRun("sync", () -> {
			this.first.refuse = true;
			try {
				Thread.sleep(TTL.toMillis() * 3);
			}
			catch (InterruptedException ex) {
				interrupted.set(true);
			}
		}))
			.withMessageContaining("Cluster lock 'sync' was lost while its task ran: another holder took it or it expired")
			.satisfies((ex) -> assertThat(ex.getLockName()).isEqualTo("sync"));
		assertThat(interrupted).isTrue();
		assertThat(Thread.currentThread().isInterrupted()).as("the lock's own interrupt is cleared").isFalse();
	}

	@Test
	void aHandleSaysItsLockWasLostWhenTheStoreCannotBeReachedBeforeItExpires() throws Exception {
		AtomicReference<ClusterLock> handle = new AtomicReference<>();
		CountDownLatch interrupted = new CountDownLatch(1);
		Thread holder = new Thread(() -> {
			handle.set(a().tryAcquire("unreachable").orElseThrow());
			this.first.fail = true;
			try {
				Thread.sleep(10_000);
			}
			catch (InterruptedException ex) {
				interrupted.countDown();
			}
		});
		holder.start();
		assertThat(interrupted.await(5, TimeUnit.SECONDS)).isTrue();
		ClusterLock lost = handle.get();
		assertThat(lost.isLost()).isTrue();
		assertThat(lost.isHeld()).isFalse();
		lost.close();
		holder.join();
	}

	@Test
	void aBadNameIsRefusedWithTheName() {
		assertThatIllegalArgumentException().isThrownBy(() -> a().tryAcquire("no spaces"))
			.withMessage("Lock name 'no spaces' is not valid: use 1 to 200 letters, digits, '.', '_' or '-', "
					+ "starting with a letter or digit");
		assertThatIllegalArgumentException().isThrownBy(() -> a().tryRun("a:b", () -> {
		})).withMessageContaining("'a:b'");
	}

	@Test
	void aLockNamedLikeAJobDoesNotHoldUpTheJob() {
		java.time.Instant now = java.time.Instant.now();
		try (ClusterLock held = a().tryAcquire("reports").orElseThrow()) {
			Claim job = lock().claim(new ClaimRequest("reports", now, JobExecution.Trigger.SCHEDULE, true,
					Duration.ofSeconds(5), "a", "job-run", now, false));
			assertThat(job.status()).isEqualTo(Claim.Status.ACQUIRED);
			assertThat(held.isHeld()).isTrue();
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** A lock whose renewals a test can refuse, or fail as an unreachable store would. */
	private static final class Refusing implements JobLock {

		private JobLock delegate;

		private volatile boolean refuse;

		private volatile boolean fail;

		@Override
		public Claim claim(ClaimRequest request) {
			return this.delegate.claim(request);
		}

		@Override
		public boolean extend(Lease lease, Duration ttl) {
			return !this.refuse && this.delegate.extend(lease, ttl);
		}

		@Override
		public CompletionStage<Boolean> extendAsync(Lease lease, Duration ttl) {
			if (this.fail) {
				return CompletableFuture.failedFuture(new IllegalStateException("store away"));
			}
			return this.refuse ? CompletableFuture.completedFuture(false) : this.delegate.extendAsync(lease, ttl);
		}

		@Override
		public boolean release(Lease lease, io.tickwork.JobExecution execution) {
			return this.delegate.release(lease, execution);
		}

	}

}
