package io.tickwork.redis;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.tickwork.ClusterLock;
import io.tickwork.ClusterLocks;
import io.tickwork.ClusterLocksContractTests;
import io.tickwork.lock.JobLock;
import io.tickwork.test.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the {@link ClusterLocks} contract on Redis, and what only Redis shows: where a
 * lock lives, that its hash expires, and a takeover by another holder.
 */
class RedisClusterLocksTests extends ClusterLocksContractTests {

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	private final RedisStoreSupport support = new RedisStoreSupport(redis, 10);

	@BeforeEach
	void open() throws IOException {
		this.support.open(Clock.systemUTC());
	}

	@AfterEach
	void close() {
		this.support.close();
	}

	@Override
	protected JobLock lock() {
		return new RedisJobLock(this.support.store(), false);
	}

	@Test
	void aLockLivesInItsOwnExpiringHashNextToTheJobs() throws Exception {
		String key = this.support.store().stateKey("lock:nightly");
		assertThat(key).startsWith("tickwork:{g").endsWith("}:lock:nightly");
		try (ClusterLocks locks = new ClusterLocks(lock(), "a", Duration.ofSeconds(5), Clock.systemUTC());
				ClusterLock held = locks.tryAcquire("nightly").orElseThrow()) {
			assertThat(held.isHeld()).isTrue();
			assertThat(redis.command("HGET", key, "lock")).contains("|");
			long ttl = Long.parseLong(redis.command("PTTL", key).trim());
			assertThat(ttl).as("expires, with the history's ttl").isBetween(3_500_000L, 3_600_000L);
		}
		assertThat(redis.command("HGET", key, "lock")).isEmpty();
		assertThat(redis.command("EXISTS", key + ":history").trim()).isEqualTo("0");
	}

	@Test
	void aHolderWhoseLockWasTakenOverIsToldAtItsNextRenewal() throws Exception {
		try (ClusterLocks locks = new ClusterLocks(lock(), "a", Duration.ofMillis(600), Clock.systemUTC());
				ClusterLocks other = new ClusterLocks(lock(), "b", Duration.ofMillis(600), Clock.systemUTC())) {
			ClusterLock held = locks.tryAcquire("takeover").orElseThrow();
			Thread.interrupted();
			redis.command("DEL", this.support.store().stateKey("lock:takeover"));
			ClusterLock thief = other.tryAcquire("takeover").orElseThrow();
			long deadline = System.nanoTime() + 3_000_000_000L;
			boolean interrupted = false;
			while (!interrupted && System.nanoTime() < deadline) {
				try {
					Thread.sleep(20);
				}
				catch (InterruptedException ex) {
					interrupted = true;
				}
			}
			assertThat(interrupted).as("the holder's thread was interrupted").isTrue();
			assertThat(held.isLost()).isTrue();
			held.close();
			assertThat(thief.isHeld()).as("the old holder's release leaves the new hold alone").isTrue();
			thief.close();
		}
	}

}
