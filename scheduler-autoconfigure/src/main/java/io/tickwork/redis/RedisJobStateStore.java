package io.tickwork.redis;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

import io.tickwork.state.JobStateStore;

/**
 * {@link JobStateStore} in Redis: pauses are seen by every instance at their next claim
 * and survive restarts; the latest claimed fires are kept in each job's state hash (a
 * ring of the fire window, see {@code batch.lua}). Reads go through the batch script, so
 * that reads asked for together share its calls. Thread-safe.
 *
 * @author Tickwork team
 * @since 0.1.0
 */
public class RedisJobStateStore implements JobStateStore {

	private final RedisJobStore store;

	/**
	 * Creates a new instance.
	 * @param store the Redis store
	 */
	public RedisJobStateStore(RedisJobStore store) {
		this.store = store;
	}

	@Override
	public boolean isPaused(String job) {
		return this.store.await(isPausedAsync(job));
	}

	@Override
	public CompletableFuture<Boolean> isPausedAsync(String job) {
		return this.store.read(job, ScriptCodec.READ_PAUSED, "1"::equals);
	}

	@Override
	public void pause(String job) {
		this.store.call(() -> {
			this.store.template().opsForHash().put(this.store.stateKey(job), "paused", "1");
			return this.store.template().opsForSet().add(this.store.pausedIndex(), job);
		});
	}

	@Override
	public void resume(String job) {
		this.store.call(() -> {
			this.store.template().opsForHash().delete(this.store.stateKey(job), "paused");
			return this.store.template().opsForSet().remove(this.store.pausedIndex(), job);
		});
	}

	@Override
	public Set<String> pausedJobs() {
		Set<String> members = this.store.call(() -> this.store.template().opsForSet().members(this.store.pausedIndex()));
		return (members != null) ? new TreeSet<>(members) : Set.of();
	}

	@Override
	public Optional<Instant> lastFire(String job) {
		return this.store.await(lastFireAsync(job));
	}

	@Override
	public CompletableFuture<Optional<Instant>> lastFireAsync(String job) {
		return this.store.read(job, ScriptCodec.READ_FIRE, (answer) -> answer.isEmpty() ? Optional.empty()
				: Optional.of(Instant.ofEpochMilli(Long.parseLong(answer))));
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
		return this.store.takeFire(job, ScriptCodec.CLAIM_FIRE, String.valueOf(fire.toEpochMilli()));
	}

	@Override
	public FireAnswer answerMissed(String job, Instant fire, Instant first, Instant last) {
		return this.store.takeFire(job, ScriptCodec.CLAIM_MISSED_FIRE, String.valueOf(fire.toEpochMilli()),
				String.valueOf(first.toEpochMilli()), String.valueOf(last.toEpochMilli()));
	}

}
