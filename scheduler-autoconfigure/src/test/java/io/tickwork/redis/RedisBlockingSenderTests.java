package io.tickwork.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.tickwork.ExecutionStatus;
import io.tickwork.JobExecution;
import io.tickwork.lock.JobLock;
import io.tickwork.state.JobStateStore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Runs the {@link JobLock} contract and the Redis lock tests on a store whose connection
 * factory shares no native connection, so that its calls go through the blocking sender
 * (as with Jedis), and checks what that sender must keep: records in order, a Redis
 * without the script.
 */
class RedisBlockingSenderTests extends RedisJobLockTests {

	@Override
	RedisStoreSupport newSupport() {
		return new RedisStoreSupport(redis, 1000, false);
	}

	@Test
	void recordsSentWithoutWaitingReachRedisInTheOrderTheyWereWritten() throws Exception {
		RedisJobHistory history = new RedisJobHistory(support().store());
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
		assertThat(stateStore().takeFire("job", Instant.parse("2026-01-05T10:00:00Z")))
			.isEqualTo(JobStateStore.FireClaim.TAKEN);
		assertThat(stateStore().lastFire("job")).contains(Instant.parse("2026-01-05T10:00:00Z"));
	}

}
