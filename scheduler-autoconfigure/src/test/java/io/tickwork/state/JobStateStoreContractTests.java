package io.tickwork.state;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import io.tickwork.state.JobStateStore.ClaimedAhead;
import io.tickwork.state.JobStateStore.FireAnswer;
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
		// the instance told first records it, and the unclaimed fires after it up to the
		// latest then claimed; whoever asks for them again is told they were dealt with
		assertThat(store().takeFire("job", T.plusSeconds(3))).isEqualTo(FireClaim.CLAIMED);
		assertThat(store().takeFire("job", T.plusSeconds(4))).isEqualTo(FireClaim.CLAIMED);
		assertThat(store().takeFire("job", T.plusSeconds(2))).isEqualTo(FireClaim.SUPERSEDED);
		assertThat(store().lastFire("job")).contains(T.plusSeconds(6));
	}

	@Test
	void aRefusedFireTellsHowFarTheFiresAreSettled() {
		assertThat(store().answerFire("job", T.plusSeconds(5)))
			.isEqualTo(new FireAnswer(FireClaim.TAKEN, null));
		// superseded: the record stands for the unclaimed fires up to the latest claimed
		assertThat(store().answerFire("job", T.plusSeconds(2)))
			.isEqualTo(new FireAnswer(FireClaim.SUPERSEDED, T.plusSeconds(5)));
		assertThat(store().answerFire("job", T.plusSeconds(9)))
			.isEqualTo(new FireAnswer(FireClaim.TAKEN, null));
		// within the range told: settled up to its end
		assertThat(store().answerFire("job", T.plusSeconds(4)))
			.isEqualTo(new FireAnswer(FireClaim.CLAIMED, T.plusSeconds(5)));
		// a claimed fire tells how many claimed fires follow it up to the latest
		assertThat(store().answerFire("job", T.plusSeconds(5)))
			.isEqualTo(new FireAnswer(FireClaim.CLAIMED, null, new ClaimedAhead(T.plusSeconds(9), 1)));
		assertThat(store().answerFire("job", T.plusSeconds(9)))
			.isEqualTo(new FireAnswer(FireClaim.CLAIMED, null));
		assertThat(store().answerFire("job", T.plusSeconds(7)))
			.isEqualTo(new FireAnswer(FireClaim.SUPERSEDED, T.plusSeconds(9)));
		assertThat(store().answerFire("job", T.plusSeconds(8)))
			.isEqualTo(new FireAnswer(FireClaim.CLAIMED, T.plusSeconds(9)));
	}

	@Test
	void aFireOlderThanAFullWindowSettlesTheFiresUpToTheWindowsOldest() {
		for (int i = 0; i < window() + 3; i++) {
			assertThat(store().answerFire("job", T.plusSeconds(10 + i))).isEqualTo(new FireAnswer(FireClaim.TAKEN, null));
		}
		// the window holds the fires from 13 on: 11 counts as claimed, and so do 12 and 13,
		// which an instance that lags far behind then passes unasked, with the claimed fires
		// after 13 when its schedule has as many
		assertThat(store().answerFire("job", T.plusSeconds(11))).isEqualTo(new FireAnswer(FireClaim.CLAIMED,
				T.plusSeconds(13), new ClaimedAhead(T.plusSeconds(12 + window()), window() - 1)));
		assertThat(store().answerFire("job", T.plusSeconds(14)))
			.isEqualTo(new FireAnswer(FireClaim.CLAIMED, null, new ClaimedAhead(T.plusSeconds(12 + window()), window() - 2)));
	}

	@Test
	void twoInstancesToldSupersededRecordDisjointRanges() {
		assertThat(store().answerFire("job", T.plusSeconds(10))).isEqualTo(new FireAnswer(FireClaim.TAKEN, null));
		assertThat(store().answerFire("job", T.plusSeconds(6)))
			.isEqualTo(new FireAnswer(FireClaim.SUPERSEDED, T.plusSeconds(10)));
		// an instance further behind records only up to where the first one's record begins
		assertThat(store().answerFire("job", T.plusSeconds(3)))
			.isEqualTo(new FireAnswer(FireClaim.SUPERSEDED, T.plusSeconds(6)));
		assertThat(store().answerFire("job", T.plusSeconds(4)))
			.isEqualTo(new FireAnswer(FireClaim.CLAIMED, T.plusSeconds(6)));
		assertThat(store().answerFire("job", T.plusSeconds(7)))
			.isEqualTo(new FireAnswer(FireClaim.CLAIMED, T.plusSeconds(10)));
	}

	@Test
	void aFireThatStandsForMissedOnesSettlesThemForEveryoneElse() {
		assertThat(store().answerFire("job", T.plusSeconds(2))).isEqualTo(new FireAnswer(FireClaim.TAKEN, null));
		// a misfire records the fires from 5 to 9 (RUN_ONCE: the record is the first's, the run the next)
		assertThat(store().answerMissed("job", T.plusSeconds(5), T.plusSeconds(5), T.plusSeconds(9)))
			.isEqualTo(new FireAnswer(FireClaim.TAKEN, null));
		assertThat(store().lastFire("job")).contains(T.plusSeconds(9));
		// another instance that missed the same fires finds them taken, and one that lagged
		// finds them recorded, instead of recording them again
		assertThat(store().answerMissed("job", T.plusSeconds(6), T.plusSeconds(6), T.plusSeconds(9)))
			.isEqualTo(new FireAnswer(FireClaim.CLAIMED, T.plusSeconds(9)));
		assertThat(store().answerFire("job", T.plusSeconds(7)))
			.isEqualTo(new FireAnswer(FireClaim.CLAIMED, T.plusSeconds(9)));
		assertThat(store().answerFire("job", T.plusSeconds(9))).isEqualTo(new FireAnswer(FireClaim.CLAIMED, null));
		assertThat(store().answerFire("job", T.plusSeconds(10))).isEqualTo(new FireAnswer(FireClaim.TAKEN, null));
		// a fire before the record's range and after the claimed one is superseded up to the range
		assertThat(store().answerFire("job", T.plusSeconds(3)))
			.isEqualTo(new FireAnswer(FireClaim.SUPERSEDED, T.plusSeconds(5)));
		// SKIP: the record is the last fire's; its range reaches back no further than the latest claimed fire
		assertThat(store().answerMissed("job", T.plusSeconds(20), T.plusSeconds(8), T.plusSeconds(20)))
			.isEqualTo(new FireAnswer(FireClaim.TAKEN, null));
		assertThat(store().answerFire("job", T.plusSeconds(15)))
			.isEqualTo(new FireAnswer(FireClaim.CLAIMED, T.plusSeconds(20)));
		assertThat(store().answerFire("job", T.plusSeconds(4)))
			.isEqualTo(new FireAnswer(FireClaim.CLAIMED, T.plusSeconds(5)));
		// missed fires all claimed already: the fire is answered alone
		assertThat(store().answerMissed("job", T.plusSeconds(11), T.plusSeconds(11), T.plusSeconds(19)))
			.isEqualTo(new FireAnswer(FireClaim.CLAIMED, T.plusSeconds(20)));
	}

	@Test
	void outOfOrderClaimsAgreeWithAModelOfTheLatestClaimedFires() {
		Random random = new Random(7);
		TreeSet<Long> remembered = new TreeSet<>();
		ArrayDeque<long[]> told = new ArrayDeque<>();
		for (int i = 0; i < 600; i++) {
			// fires drift forward; arrivals are out of order, repeated, and sometimes older than the window
			long second = i / 5 + random.nextInt(24);
			FireAnswer expected;
			long[] within = told.stream().filter((range) -> second >= range[0] && second < range[1]).findFirst()
				.orElse(null);
			if (remembered.isEmpty() || second > remembered.last()) {
				expected = new FireAnswer(FireClaim.TAKEN, null);
			}
			else if (remembered.contains(second)) {
				int ahead = remembered.tailSet(second, false).size();
				expected = new FireAnswer(FireClaim.CLAIMED, null,
						(ahead > 0) ? new ClaimedAhead(T.plusSeconds(remembered.last()), ahead) : null);
			}
			else if (remembered.size() == window() && second < remembered.first()) {
				// every fire up to the oldest remembered one counts as claimed
				expected = new FireAnswer(FireClaim.CLAIMED, T.plusSeconds(remembered.first()), (window() > 1)
						? new ClaimedAhead(T.plusSeconds(remembered.last()), window() - 1) : null);
			}
			else if (within != null) {
				expected = new FireAnswer(FireClaim.CLAIMED, T.plusSeconds(within[1]));
			}
			else {
				// up to the latest claimed fire or the first range told after this one
				long until = told.stream().mapToLong((range) -> range[0]).filter((from) -> from > second)
					.reduce(remembered.last(), Math::min);
				expected = new FireAnswer(FireClaim.SUPERSEDED, T.plusSeconds(until));
				if (remembered.size() == window()) {
					told.removeIf((range) -> range[1] <= remembered.first());
				}
				if (told.size() == window()) {
					told.removeFirst();
				}
				told.addLast(new long[] { second, until });
			}
			assertThat(store().answerFire("job", T.plusSeconds(second))).as("claim %d, of second %d", i, second)
				.isEqualTo(expected);
			if (expected.claim() == FireClaim.TAKEN) {
				remembered.add(second);
				if (remembered.size() > window()) {
					remembered.pollFirst();
				}
			}
		}
		assertThat(store().lastFire("job")).contains(T.plusSeconds(remembered.last()));
	}

}
