package io.tickwork.lock;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.tickwork.ExecutionStatus;
import io.tickwork.JobExecution;
import io.tickwork.JobExecution.Trigger;
import io.tickwork.state.JobStateStore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The meaning every {@link JobLock} must keep; subclasses supply the implementation.
 */
public abstract class JobLockContractTests {

	protected static final Instant FIRE = Instant.parse("2026-01-05T10:00:00Z");

	/**
	 * Time to live of the locks the tests take.
	 * @return the time to live
	 */
	protected Duration ttl() {
		return Duration.ofSeconds(30);
	}

	/**
	 * The lock under test, sharing its state with {@link #state()}.
	 * @return the lock
	 */
	protected abstract JobLock lock();

	/**
	 * The state store the lock consults.
	 * @return the state store
	 */
	protected abstract JobStateStore state();

	/**
	 * Lets the lock's time to live elapse.
	 * @param duration how much time passes
	 */
	protected abstract void elapse(Duration duration);

	protected ClaimRequest request(String job, Instant fire, String execution) {
		return new ClaimRequest(job, fire, Trigger.SCHEDULE, true, ttl(), "instance-a", execution, FIRE, false);
	}

	protected static JobExecution finished(Lease lease) {
		return new JobExecution("e", lease.job(), lease.scheduledTime(), FIRE, FIRE.plusSeconds(1),
				ExecutionStatus.SUCCEEDED, 1, null, "instance-a", lease.fencingToken(), Trigger.SCHEDULE);
	}

	@Test
	void aFireIsClaimedOnce() {
		Claim first = lock().claim(request("job", FIRE, "e1"));
		assertThat(first.status()).isEqualTo(Claim.Status.ACQUIRED);
		lock().release(first.lease(), finished(first.lease()));
		assertThat(lock().claim(request("job", FIRE, "e2")).status()).isEqualTo(Claim.Status.ALREADY_CLAIMED);
		assertThat(lock().claim(request("other", FIRE, "e3")).status()).isEqualTo(Claim.Status.ACQUIRED);
	}

	@Test
	void claimingWithoutWaitingMeansWhatClaimingMeans() throws Exception {
		Executor direct = Runnable::run;
		Claim first = lock().claimAsync(request("job", FIRE, "e1"), direct)
			.toCompletableFuture()
			.get(10, TimeUnit.SECONDS);
		assertThat(first.status()).isEqualTo(Claim.Status.ACQUIRED);
		assertThat(lock().claimAsync(request("job", FIRE.plusSeconds(1), "e2"), direct)
			.toCompletableFuture()
			.get(10, TimeUnit.SECONDS)
			.status()).isEqualTo(Claim.Status.LOCKED);
		assertThat(lock().releaseAsync(first.lease(), finished(first.lease()))
			.toCompletableFuture()
			.get(10, TimeUnit.SECONDS)).isTrue();
		assertThat(lock().claimAsync(request("job", FIRE, "e3"), direct)
			.toCompletableFuture()
			.get(10, TimeUnit.SECONDS)
			.status()).isEqualTo(Claim.Status.ALREADY_CLAIMED);
		Claim next = lock().claimAsync(request("job", FIRE.plusSeconds(2), "e4"), direct)
			.toCompletableFuture()
			.get(10, TimeUnit.SECONDS);
		assertThat(next.status()).isEqualTo(Claim.Status.ACQUIRED);
		assertThat(next.lease().fencingToken()).isGreaterThan(first.lease().fencingToken());
	}

	@Test
	void aHeldLockRefusesTheNextFireAndConsumesIt() {
		Claim first = lock().claim(request("job", FIRE, "e1"));
		assertThat(lock().claim(request("job", FIRE.plusSeconds(1), "e2")).status()).isEqualTo(Claim.Status.LOCKED);
		lock().release(first.lease(), finished(first.lease()));
		assertThat(lock().claim(request("job", FIRE.plusSeconds(1), "e3")).status())
			.isEqualTo(Claim.Status.ALREADY_CLAIMED);
		assertThat(lock().claim(request("job", FIRE.plusSeconds(2), "e4")).status()).isEqualTo(Claim.Status.ACQUIRED);
	}

	@Test
	void aSupersededFireIsToldOnceSoThatOneInstanceRecordsIt() {
		Lease later = lock().claim(request("job", FIRE.plusSeconds(2), "e2")).lease();
		lock().release(later, finished(later));
		// two instances that lagged find the same older fire nobody claimed
		Claim superseded = lock().claim(request("job", FIRE, "e1"));
		assertThat(superseded.status()).isEqualTo(Claim.Status.SUPERSEDED);
		assertThat(superseded.settledUntil()).isEqualTo(FIRE.plusSeconds(2));
		assertThat(lock().claim(request("job", FIRE, "e1b")).status()).isEqualTo(Claim.Status.ALREADY_CLAIMED);
		// the first one's record stands for the unclaimed fires up to the claimed one too
		Claim between = lock().claim(request("job", FIRE.plusSeconds(1), "e3"));
		assertThat(between.status()).isEqualTo(Claim.Status.ALREADY_CLAIMED);
		assertThat(between.settledUntil()).isEqualTo(FIRE.plusSeconds(2));
		// a claimed fire tells nothing of the fires after it
		assertThat(lock().claim(request("job", FIRE.plusSeconds(2), "e4")))
			.isEqualTo(Claim.rejected(Claim.Status.ALREADY_CLAIMED));
	}

	@Test
	void aClaimedFireTellsTheClaimedFiresAfterIt() {
		for (int i = 0; i < 3; i++) {
			Lease lease = lock().claim(request("job", FIRE.plusSeconds(i), "e" + i)).lease();
			lock().release(lease, finished(lease));
		}
		// an instance behind the cluster learns that the two fires after it are claimed too
		assertThat(lock().claim(request("job", FIRE, "late")))
			.isEqualTo(Claim.alreadyClaimed(new JobStateStore.ClaimedAhead(FIRE.plusSeconds(2), 2)));
		assertThat(lock().claim(request("job", FIRE.plusSeconds(1), "late")))
			.isEqualTo(Claim.alreadyClaimed(new JobStateStore.ClaimedAhead(FIRE.plusSeconds(2), 1)));
		assertThat(lock().claim(request("job", FIRE.plusSeconds(2), "late")))
			.isEqualTo(Claim.rejected(Claim.Status.ALREADY_CLAIMED));
	}

	@Test
	void aMisfireRecordClaimsTheFiresItStandsFor() {
		// RUN_ONCE on an instance that missed the fires 1 to 4: the record is the first's, the run the fifth
		ClaimRequest skipped = new ClaimRequest("job", FIRE.plusSeconds(1), Trigger.MISFIRE, false, ttl(), "instance-a",
				"e1", FIRE, false, new ClaimRequest.Missed(FIRE.plusSeconds(1), FIRE.plusSeconds(4)));
		Claim record = lock().claim(skipped);
		assertThat(record.status()).isEqualTo(Claim.Status.ACQUIRED);
		lock().release(record.lease(), finished(record.lease()));
		// another instance that missed the same fires, and one that lagged, find them dealt with
		ClaimRequest again = new ClaimRequest("job", FIRE.plusSeconds(2), Trigger.MISFIRE, false, ttl(), "instance-b",
				"e2", FIRE, false, new ClaimRequest.Missed(FIRE.plusSeconds(2), FIRE.plusSeconds(4)));
		assertThat(lock().claim(again)).isEqualTo(Claim.rejected(Claim.Status.ALREADY_CLAIMED, FIRE.plusSeconds(4)));
		assertThat(lock().claim(request("job", FIRE.plusSeconds(3), "e3")))
			.isEqualTo(Claim.rejected(Claim.Status.ALREADY_CLAIMED, FIRE.plusSeconds(4)));
		Claim run = lock().claim(request("job", FIRE.plusSeconds(5), "e5"));
		assertThat(run.status()).isEqualTo(Claim.Status.ACQUIRED);
		assertThat(run.lease().fencingToken()).isGreaterThan(record.lease().fencingToken());
		// a claim of missed fires must hold its own fire
		assertThatIllegalArgumentException().isThrownBy(() -> new ClaimRequest("job", FIRE, Trigger.MISFIRE, false,
				ttl(), "instance-a", "e6", FIRE, false, new ClaimRequest.Missed(FIRE.plusSeconds(1), FIRE.plusSeconds(2))))
			.withMessageContaining("job 'job'");
	}

	@Test
	void aFireOlderThanAClaimedOneIsSupersededSoThatFencingTokensFollowFireOrder() {
		Lease later = lock().claim(request("job", FIRE.plusSeconds(2), "e2")).lease();
		lock().release(later, finished(later));
		// an instance that lagged claims an older fire nobody claimed: it is not run
		assertThat(lock().claim(request("job", FIRE, "e1")).status()).isEqualTo(Claim.Status.SUPERSEDED);
		// the claimed fire itself is claimed, whoever asks again
		assertThat(lock().claim(request("job", FIRE.plusSeconds(2), "e3")).status())
			.isEqualTo(Claim.Status.ALREADY_CLAIMED);
		Lease next = lock().claim(request("job", FIRE.plusSeconds(3), "e4")).lease();
		assertThat(next.fencingToken()).isGreaterThan(later.fencingToken());
		assertThat(state().takeFire("job", FIRE.plusSeconds(1))).isEqualTo(JobStateStore.FireClaim.CLAIMED);
		assertThat(state().takeFire("job", FIRE.plusSeconds(3))).isEqualTo(JobStateStore.FireClaim.CLAIMED);
		assertThat(state().takeFire("job", FIRE.plusSeconds(4))).isEqualTo(JobStateStore.FireClaim.TAKEN);
	}

	@Test
	void aPausedJobConsumesItsFireButManualRunsStillClaim() {
		state().pause("job");
		assertThat(lock().claim(request("job", FIRE, "e1")).status()).isEqualTo(Claim.Status.PAUSED);
		assertThat(lock().claim(request("job", FIRE, "e2")).status()).isEqualTo(Claim.Status.ALREADY_CLAIMED);
		ClaimRequest manual = new ClaimRequest("job", FIRE.plusSeconds(5), Trigger.MANUAL, true, ttl(), "instance-a",
				"e3", FIRE, false);
		assertThat(lock().claim(manual).status()).isEqualTo(Claim.Status.ACQUIRED);
		state().resume("job");
	}

	@Test
	void fencingTokensGrowWithEveryClaim() {
		Set<String> tokens = new HashSet<>();
		long previous = 0;
		for (int i = 0; i < 5; i++) {
			Lease lease = lock().claim(request("job", FIRE.plusSeconds(i), "e" + i)).lease();
			assertThat(lease.fencingToken()).isGreaterThan(previous);
			previous = lease.fencingToken();
			tokens.add(lease.token());
			lock().release(lease, finished(lease));
		}
		assertThat(tokens).hasSize(5);
	}

	@Test
	void releaseAndExtendOnlyWorkForTheHolder() {
		Lease lease = lock().claim(request("job", FIRE, "e1")).lease();
		Lease impostor = new Lease("job", "not-the-token", lease.fencingToken(), FIRE, true, "e1");
		assertThat(lock().extend(impostor, ttl())).isFalse();
		assertThat(lock().release(impostor, finished(impostor))).isFalse();
		assertThat(lock().claim(request("job", FIRE.plusSeconds(1), "e2")).status()).isEqualTo(Claim.Status.LOCKED);
		assertThat(lock().extend(lease, ttl())).isTrue();
		assertThat(lock().release(lease, finished(lease))).isTrue();
	}

	@Test
	void aLateReleaseOrExtendByAnExpiredHolderLeavesTheNewHolderIntact() {
		Lease old = lock().claim(request("job", FIRE, "e1")).lease();
		elapse(ttl().plus(ttl().dividedBy(10)));
		Lease current = lock().claim(request("job", FIRE.plusSeconds(31), "e2")).lease();
		assertThat(current).isNotNull();
		assertThat(lock().extend(old, ttl())).isFalse();
		assertThat(lock().release(old, finished(old))).isFalse();
		assertThat(lock().claim(request("job", FIRE.plusSeconds(32), "e3")).status()).isEqualTo(Claim.Status.LOCKED);
		assertThat(lock().extend(current, ttl())).isTrue();
	}

	@Test
	void extendingKeepsTheLockPastItsFirstTimeToLive() {
		Lease lease = lock().claim(request("job", FIRE, "e1")).lease();
		elapse(ttl().dividedBy(2));
		assertThat(lock().extend(lease, ttl())).isTrue();
		elapse(ttl().dividedBy(2).plus(ttl().dividedBy(6)));
		assertThat(lock().claim(request("job", FIRE.plusSeconds(1), "e2")).status()).isEqualTo(Claim.Status.LOCKED);
	}

	@Test
	void nonExclusiveClaimsDoNotTakeTheMutex() {
		ClaimRequest first = new ClaimRequest("job", FIRE, Trigger.SCHEDULE, false, ttl(), "instance-a", "e1", FIRE, false);
		ClaimRequest second = new ClaimRequest("job", FIRE.plusSeconds(1), Trigger.SCHEDULE, false, ttl(), "instance-a",
				"e2", FIRE, false);
		assertThat(lock().claim(first).status()).isEqualTo(Claim.Status.ACQUIRED);
		assertThat(lock().claim(second).status()).isEqualTo(Claim.Status.ACQUIRED);
	}

	@Test
	void aReclaimTakesTheLockForAFireAlreadyConsumed() {
		Lease holder = lock().claim(request("job", FIRE, "e1")).lease();
		assertThat(lock().claim(request("job", FIRE.plusSeconds(1), "e2")).status()).isEqualTo(Claim.Status.LOCKED);
		lock().release(holder, finished(holder));
		ClaimRequest reclaim = new ClaimRequest("job", FIRE.plusSeconds(1), Trigger.SCHEDULE, true, ttl(), "instance-a",
				"e2", FIRE, true);
		assertThat(lock().claim(reclaim).status()).isEqualTo(Claim.Status.ACQUIRED);
	}

}
