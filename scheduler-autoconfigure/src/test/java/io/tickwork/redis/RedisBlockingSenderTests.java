package io.tickwork.redis;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.tickwork.ExecutionStatus;
import io.tickwork.JobExecution;
import io.tickwork.lock.JobLock;
import io.tickwork.lock.JobLockContractTests;
import io.tickwork.state.JobStateStore;
import io.tickwork.test.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Runs the {@link JobLock} contract on a Redis store whose connection factory shares no
 * native connection, so that its calls go through the blocking sender (as with Jedis),
 * and checks what that sender must keep: records in order, a Redis without the script.
 */
class RedisBlockingSenderTests extends JobLockContractTests {

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	private final RedisStoreSupport support = new RedisStoreSupport(redis, 1000, false);

	private RedisJobLock lock;

	private RedisJobStateStore state;

	@BeforeEach
	void open() throws IOException {
		this.support.open(Clock.systemUTC());
		this.lock = new RedisJobLock(this.support.store(), true);
		this.state = new RedisJobStateStore(this.support.store());
	}

	@AfterEach
	void close() {
		this.support.close();
	}

	@Override
	protected Duration ttl() {
		return Duration.ofMillis(1500);
	}

	@Override
	protected JobLock lock() {
		return this.lock;
	}

	@Override
	protected JobStateStore state() {
		return this.state;
	}

	@Override
	protected void elapse(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Test
	void recordsSentWithoutWaitingReachRedisInTheOrderTheyWereWritten() throws Exception {
		RedisJobHistory history = new RedisJobHistory(this.support.store());
		// recent records: reads skip those older than the history ttl
		Instant start = Instant.now();
		List<String> expected = new ArrayList<>();
		for (int i = 1; i <= 600; i++) {
			history.recordWithoutWaiting(new JobExecution("q" + i + "#" + i, "ordered", start, start.plusMillis(i),
					start.plusMillis(i), ExecutionStatus.SUCCEEDED, 1, null, "instance-a", i, JobExecution.Trigger.QUEUE));
			expected.add(0, "q" + i + "#" + i);
			// a few at a time, so that the sender threads take turns
			java.util.concurrent.locks.LockSupport.parkNanos(20_000);
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> history.stats("ordered").total() == 600);
		assertThat(history.recent("ordered", 600)).extracting(JobExecution::id).containsExactlyElementsOf(expected);
	}

	@Test
	void aRedisThatLostTheScriptIsSentItWhole() throws Exception {
		redis.command("SCRIPT", "FLUSH");
		assertThat(this.state.takeFire("job", Instant.parse("2026-01-05T10:00:00Z")))
			.isEqualTo(JobStateStore.FireClaim.TAKEN);
		assertThat(this.state.lastFire("job")).contains(Instant.parse("2026-01-05T10:00:00Z"));
	}

}
