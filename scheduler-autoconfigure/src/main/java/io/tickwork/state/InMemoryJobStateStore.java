package io.tickwork.state;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collections;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link JobStateStore} kept in this JVM: state is neither shared nor kept across
 * restarts. Thread-safe.
 *
 * @author Tickwork team
 * @since 0.1.0
 */
public class InMemoryJobStateStore implements JobStateStore {

	private final Set<String> paused = ConcurrentHashMap.newKeySet();

	private final ConcurrentHashMap<String, ClaimedFires> claimed = new ConcurrentHashMap<>();

	private final int window;

	/**
	 * Creates a store that remembers the latest 8 claimed fires of each job, enough for
	 * the claims of one instance that reach the store out of order.
	 */
	public InMemoryJobStateStore() {
		this(8);
	}

	/**
	 * Creates a store that remembers the given number of claimed fires per job.
	 * @param window how many of the latest claimed fires of each job to remember
	 */
	public InMemoryJobStateStore(int window) {
		if (window < 1) {
			throw new IllegalArgumentException("window must be at least 1, was " + window);
		}
		this.window = window;
	}

	@Override
	public boolean isPaused(String job) {
		return this.paused.contains(job);
	}

	@Override
	public void pause(String job) {
		this.paused.add(job);
	}

	@Override
	public void resume(String job) {
		this.paused.remove(job);
	}

	@Override
	public Set<String> pausedJobs() {
		return Collections.unmodifiableSet(Set.copyOf(this.paused));
	}

	@Override
	public Optional<Instant> lastFire(String job) {
		ClaimedFires fires = this.claimed.get(job);
		if (fires == null) {
			return Optional.empty();
		}
		synchronized (fires) {
			return (fires.size > 0) ? Optional.of(Instant.ofEpochMilli(fires.times[fires.size - 1])) : Optional.empty();
		}
	}

	@Override
	public boolean claimFire(String job, Instant fire) {
		return takeFire(job, fire) == FireClaim.TAKEN;
	}

	@Override
	public FireClaim takeFire(String job, Instant fire) {
		return answerFire(job, fire).claim();
	}

	@Override
	public FireAnswer answerFire(String job, Instant fire) {
		ClaimedFires fires = this.claimed.get(job);
		if (fires == null) {
			// computeIfAbsent alone may lock the key's bin even when the entry exists
			fires = this.claimed.computeIfAbsent(job, (name) -> new ClaimedFires(this.window));
		}
		synchronized (fires) {
			return fires.take(fire.toEpochMilli());
		}
	}

	@Override
	public FireAnswer answerMissed(String job, Instant fire, Instant first, Instant last) {
		ClaimedFires fires = this.claimed.get(job);
		if (fires == null) {
			fires = this.claimed.computeIfAbsent(job, (name) -> new ClaimedFires(this.window));
		}
		synchronized (fires) {
			return fires.takeMissed(fire.toEpochMilli(), first.toEpochMilli(), last.toEpochMilli());
		}
	}

	/**
	 * The latest claimed fire times of one job, ascending, in epoch milliseconds, and the
	 * ranges of older unclaimed fires already told superseded or recorded as missed.
	 */
	private static final class ClaimedFires {

		private final long[] times;

		private int size;

		/**
		 * Ranges of unclaimed fires that one instance records, in the order they were
		 * kept, each {from, to}: the fires from {@code from} and before {@code to}; at most
		 * as many as the window, and never overlapping.
		 */
		private final ArrayDeque<long[]> told = new ArrayDeque<>();

		ClaimedFires(int window) {
			this.times = new long[window];
		}

		/**
		 * Takes a fire later than every claimed one; refuses one that was claimed, or is
		 * older than the whole full window (it may have been; settled up to the window's
		 * oldest fire, as every fire before it counts as claimed, with the claimed fires
		 * after that one), as claimed, and any other
		 * older one as superseded, once: asked again, or for a fire after it and before the
		 * latest then claimed, it counts as claimed, as its first claimant records them.
		 */
		FireAnswer take(long time) {
			if (this.size > 0 && time <= this.times[this.size - 1]) {
				int index = Arrays.binarySearch(this.times, 0, this.size, time);
				if (index >= 0) {
					// the claimed fires after it, which an instance behind may pass at once
					int ahead = this.size - 1 - index;
					return new FireAnswer(FireClaim.CLAIMED, null, (ahead > 0)
							? new ClaimedAhead(Instant.ofEpochMilli(this.times[this.size - 1]), ahead) : null);
				}
				if (this.size == this.times.length && -index - 1 == 0) {
					// every fire up to the window's oldest counts as claimed: passed unasked,
					// and so are the claimed fires after it when the schedule has as many
					return new FireAnswer(FireClaim.CLAIMED, Instant.ofEpochMilli(this.times[0]), (this.size > 1)
							? new ClaimedAhead(Instant.ofEpochMilli(this.times[this.size - 1]), this.size - 1) : null);
				}
				return tell(time);
			}
			if (this.size == this.times.length) {
				System.arraycopy(this.times, 1, this.times, 0, this.size - 1);
				this.times[this.size - 1] = time;
			}
			else {
				this.times[this.size++] = time;
			}
			return new FireAnswer(FireClaim.TAKEN, null);
		}

		/**
		 * Takes the last of a misfire's fires if it is later than every claimed one, and
		 * keeps the fires before it, from the first or from the latest claimed one if that
		 * is later (ranges kept before end there), as settled; else answers the fire as
		 * {@link #take(long)} does.
		 */
		FireAnswer takeMissed(long time, long first, long last) {
			long from = first;
			if (this.size > 0) {
				long latest = this.times[this.size - 1];
				if (last <= latest) {
					return take(time);
				}
				from = Math.max(first, latest);
			}
			if (from < last) {
				keep(from, last);
			}
			return take(last);
		}

		/**
		 * Tells an unclaimed fire superseded, up to the latest claimed fire or the first
		 * range kept after it, whichever comes first, so that no two records stand for one
		 * fire; or refuses it as claimed up to the end of the range that holds it.
		 */
		private FireAnswer tell(long time) {
			long until = this.times[this.size - 1];
			for (long[] range : this.told) {
				if (time >= range[0] && time < range[1]) {
					return new FireAnswer(FireClaim.CLAIMED, Instant.ofEpochMilli(range[1]));
				}
				if (range[0] > time && range[0] < until) {
					until = range[0];
				}
			}
			keep(time, until);
			return new FireAnswer(FireClaim.SUPERSEDED, Instant.ofEpochMilli(until));
		}

		private void keep(long from, long to) {
			if (this.size == this.times.length) {
				// older than the whole full window needs no memory: it counts as claimed
				this.told.removeIf((range) -> range[1] <= this.times[0]);
			}
			if (this.told.size() == this.times.length) {
				this.told.removeFirst();
			}
			this.told.addLast(new long[] { from, to });
		}

	}

}
