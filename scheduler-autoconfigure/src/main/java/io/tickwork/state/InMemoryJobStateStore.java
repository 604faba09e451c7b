package io.tickwork.state;

import java.time.Instant;
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

	private final ConcurrentHashMap<String, Instant> lastFires = new ConcurrentHashMap<>();

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
		return Optional.ofNullable(this.lastFires.get(job));
	}

	@Override
	public boolean advanceLastFire(String job, Instant fire) {
		boolean[] advanced = new boolean[1];
		this.lastFires.compute(job, (name, last) -> {
			if (last != null && !fire.isAfter(last)) {
				return last;
			}
			advanced[0] = true;
			return fire;
		});
		return advanced[0];
	}

}
