package io.tickwork.redis;

import java.time.Duration;
import java.time.Instant;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisScriptingCommands;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

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
	void aGroupsLaterCallWaitsForItsSlowEarlierCall() throws Exception {
		CountDownLatch held = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		LettuceConnectionFactory unshared = redis.unsharedConnectionFactory();
		RedisJobStore store = new RedisJobStore(new StringRedisTemplate(holding(unshared, "slow#1", held, release)),
				new RedisJobStore.Settings("tickwork:", Duration.ofSeconds(5), 8, 100, Duration.ofHours(1), 100),
				Clock.systemUTC());
		try {
			RedisJobHistory history = new RedisJobHistory(store);
			Instant start = Instant.now();
			history.recordWithoutWaiting(record("slow#1", start, 1));
			assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
			// the first record's call is on its way and slow: another sender thread takes the second
			history.recordWithoutWaiting(record("fast#2", start, 2));
			await().during(Duration.ofMillis(300))
				.atMost(Duration.ofSeconds(2))
				.until(() -> redis.command("KEYS", "*ordered*history*").isBlank());
			release.countDown();
			await().atMost(Duration.ofSeconds(10)).until(() -> history.stats("ordered").total() == 2);
			assertThat(history.recent("ordered", 2)).extracting(JobExecution::id).containsExactly("fast#2", "slow#1");
		}
		finally {
			release.countDown();
			store.close();
			unshared.destroy();
		}
	}

	private static JobExecution record(String id, Instant start, int fencing) {
		return new JobExecution(id, "ordered", start, start.plusMillis(fencing), start.plusMillis(fencing),
				ExecutionStatus.SUCCEEDED, 1, null, "instance-a", fencing, JobExecution.Trigger.QUEUE);
	}

	/**
	 * A connection factory whose script calls that carry marker wait, once it says so,
	 * until released: a slow call.
	 */
	private static RedisConnectionFactory holding(RedisConnectionFactory factory, String marker, CountDownLatch held,
			CountDownLatch release) {
		byte[] bytes = marker.getBytes(StandardCharsets.UTF_8);
		return proxy(RedisConnectionFactory.class, factory, (method, result) -> {
			if (!method.getName().equals("getConnection")) {
				return result;
			}
			return proxy(RedisConnection.class, result, (connectionMethod, commands) -> {
				if (!connectionMethod.getName().equals("scriptingCommands")) {
					return commands;
				}
				return proxy(RedisScriptingCommands.class, commands, null, (scriptMethod, args) -> {
					if (scriptMethod.getName().startsWith("eval") && carries(args, bytes) && held.getCount() > 0) {
						held.countDown();
						release.await(10, TimeUnit.SECONDS);
					}
				});
			}, null);
		}, null);
	}

	private static boolean carries(Object[] args, byte[] marker) {
		for (Object arg : (args != null) ? args : new Object[0]) {
			if (arg instanceof byte[][] arrays) {
				for (byte[] array : arrays) {
					if (new String(array, StandardCharsets.UTF_8).contains(new String(marker, StandardCharsets.UTF_8))) {
						return true;
					}
				}
			}
		}
		return false;
	}

	/** A proxy of the delegate that maps what it answers and runs a hook before each call. */
	@SuppressWarnings("unchecked")
	private static <T> T proxy(Class<T> type, Object delegate, Answers answers, Hook hook) {
		return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] { type }, (proxy, method, args) -> {
			if (hook != null) {
				hook.before(method, args);
			}
			Object result;
			try {
				result = method.invoke(delegate, args);
			}
			catch (InvocationTargetException ex) {
				throw ex.getCause();
			}
			return (answers != null) ? answers.map(method, result) : result;
		});
	}

	private interface Answers {

		Object map(Method method, Object result) throws Exception;

	}

	private interface Hook {

		void before(Method method, Object[] args) throws Exception;

	}

	@Test
	void aRedisThatLostTheScriptIsSentItWhole() throws Exception {
		redis.command("SCRIPT", "FLUSH");
		assertThat(stateStore().takeFire("job", Instant.parse("2026-01-05T10:00:00Z")))
			.isEqualTo(JobStateStore.FireClaim.TAKEN);
		assertThat(stateStore().lastFire("job")).contains(Instant.parse("2026-01-05T10:00:00Z"));
	}

}
