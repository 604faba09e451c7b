package io.tickwork.state;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import io.tickwork.state.JobStateStore.FireClaim;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The meaning every {@link JobStateStore} must keep; subclasses supply the
 * implementation.
 */
public abstract class JobStateStoreContractTests {

	protected static final Instant T = Instant.parse("2026-01-05T10:00:00Z");

	/**
	 * The store under test.
	 * @return the store
	 */
	protected abstract JobStateStore store();

	/**
	 * How many claimed fires the store under test remembers per job.
	 * @return the window
	 */
	protected int window() {
		return 8;
	}

	@Test
	void pauseAndResumeAreIdempotent() {
		assertThat(store().isPaused("job")).isFalse();
		store().pause("job");
		store().pause("job");
		assertThat(store().isPaused("job")).isTrue();
		assertThat(store().isPaused("other")).isFalse();
		assertThat(store().pausedJobs()).containsExactly("job");
		store().resume("job");
		store().resume("job");
		assertThat(store().isPaused("job")).isFalse();
		assertThat(store().pausedJobs()).isEmpty();
	}

	@Test
	void readsSentWithoutWaitingAnswerAsTheOthers() {
		store().pause("job");
		store().claimFire("job", T.plusSeconds(2));
		CompletableFuture<Boolean> paused = store().isPausedAsync("job");
		CompletableFuture<Boolean> otherPaused = store().isPausedAsync("other");
		CompletableFuture<Optional<Instant>> lastFire = store().lastFireAsync("job");
		CompletableFuture<Optional<Instant>> otherLastFire = store().lastFireAsync("other");
		assertThat(paused).succeedsWithin(Duration.ofSeconds(5)).isEqualTo(true);
		assertThat(otherPaused).succeedsWithin(Duration.ofSeconds(5)).isEqualTo(false);
		assertThat(lastFire).succeedsWithin(Duration.ofSeconds(5)).isEqualTo(Optional.of(T.plusSeconds(2)));
		assertThat(otherLastFire).succeedsWithin(Duration.ofSeconds(5)).isEqualTo(Optional.empty());
	}

	@Test
	void eachFireIsClaimedOnceInOrderAndTheLatestIsRemembered() {
		assertThat(store().lastFire("job")).isEmpty();
		assertThat(store().claimFire("job", T.plusSeconds(2))).isTrue();
		assertThat(store().claimFire("job", T.plusSeconds(1))).isFalse();
		assertThat(store().claimFire("job", T.plusSeconds(2))).isFalse();
		assertThat(store().claimFire("other", T.plusSeconds(2))).isTrue();
		assertThat(store().lastFire("job")).contains(T.plusSeconds(2));
	}

	@Test
	void aRefusedFireIsToldClaimedOrSupersededOnce() {
		assertThat(store().takeFire("job", T.plusSeconds(5))).isEqualTo(FireClaim.TAKEN);
		assertThat(store().takeFire("job", T.plusSeconds(3))).isEqualTo(FireClaim.SUPERSEDED);
		assertThat(store().takeFire("job", T.plusSeconds(6))).isEqualTo(FireClaim.TAKEN);
		assertThat(store().takeFire("job", T.plusSeconds(5))).isEqualTo(FireClaim.CLAIMED);
		assertThat(store().takeFire("job", T.plusSeconds(6))).isEqualTo(FireClaim.CLAIMED);
		// the instance told first records it; whoever asks again is told it was dealt with
		assertThat(store().takeFire("job", T.plusSeconds(3))).isEqualTo(FireClaim.CLAIMED);
		assertThat(store().takeFire("job", T.plusSeconds(4))).isEqualTo(FireClaim.SUPERSEDED);
		assertThat(store().lastFire("job")).contains(T.plusSeconds(6));
	}

	@Test
	void outOfOrderClaimsAgreeWithAModelOfTheLatestClaimedFires() {
		Random random = new Random(7);
		TreeSet<Long> remembered = new TreeSet<>();
		ArrayDeque<Long> told = new ArrayDeque<>();
		for (int i = 0; i < 600; i++) {
			// fires drift forward; arrivals are out of order, repeated, and sometimes older than the window
			long second = i / 5 + random.nextInt(24);
			FireClaim expected;
			if (remembered.isEmpty() || second > remembered.last()) {
				expected = FireClaim.TAKEN;
			}
			else if (remembered.contains(second) || (remembered.size() == window() && second < remembered.first())
					|| told.contains(second)) {
				expected = FireClaim.CLAIMED;
			}
			else {
				expected = FireClaim.SUPERSEDED;
				if (remembered.size() == window()) {
					told.removeIf((fire) -> fire < remembered.first());
				}
				if (told.size() == window()) {
					told.removeFirst();
				}
				told.addLast(second);
			}
			assertThat(store().takeFire("job", T.plusSeconds(second))).as("claim %d, of second %d", i, second)
				.isEqualTo(expected);
			if (expected == FireClaim.TAKEN) {
				remembered.add(second);
				if (remembered.size() > window()) {
					remembered.pollFirst();
				}
			}
		}
		assertThat(store().lastFire("job")).contains(T.plusSeconds(remembered.last()));
	}

}
