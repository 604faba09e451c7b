package io.tickwork.redis;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.tickwork.JobDefinition;
import io.tickwork.engine.TickworkEngine;
import io.tickwork.engine.TickworkEngineBuilder;
import io.tickwork.schedule.Schedule;

/**
 * What the Redis fault and cluster tests run: instances of Tickwork on a Redis store,
 * with jobs that count how often each fire runs. What it makes is closed with the given
 * resources.
 */
final class RedisTestEngines {

	private RedisTestEngines() {
	}

	/** A store with the given command timeout, 64 fires remembered and room for every record of a test. */
	static RedisJobStore store(LettuceConnectionFactory factory, Duration commandTimeout,
			List<AutoCloseable> resources) {
		resources.add(factory::destroy);
		RedisJobStore store = new RedisJobStore(new StringRedisTemplate(factory),
				new RedisJobStore.Settings("tickwork:", commandTimeout, 64, 1000, Duration.ofHours(1), 100_000),
				Clock.systemUTC());
		resources.add(store);
		return store;
	}

	/**
	 * An instance on the store, with eight workers, a lock time to live of 5 s and a misfire
	 * threshold of 2 s, running {@code jobs} jobs every {@code interval} that count their
	 * runs by fire in {@code runsPerFire}.
	 */
	static TickworkEngine countingInstance(RedisJobStore store, String instanceId, int jobs, Duration interval,
			Map<String, Integer> runsPerFire, List<AutoCloseable> resources) {
		return countingInstance(store, instanceId, jobs, interval, runsPerFire, resources, (builder) -> {
		});
	}

	/** The same, with settings of the test's own. */
	static TickworkEngine countingInstance(RedisJobStore store, String instanceId, int jobs, Duration interval,
			Map<String, Integer> runsPerFire, List<AutoCloseable> resources, Consumer<TickworkEngineBuilder> customizer) {
		ExecutorService executor = Executors.newFixedThreadPool(8);
		resources.add(executor::shutdownNow);
		TickworkEngineBuilder builder = TickworkEngine.builder()
			.executor(executor)
			.lock(new RedisJobLock(store, true))
			.history(new RedisJobHistory(store))
			.state(new RedisJobStateStore(store))
			.instanceId(instanceId)
			.tickInterval(Duration.ofMillis(100))
			.lockTtl(Duration.ofSeconds(5))
			.misfireThreshold(Duration.ofSeconds(2))
			.maxConcurrent(8)
			.shutdownTimeout(Duration.ofSeconds(2))
			.maintenance(store::maintain);
		customizer.accept(builder);
		TickworkEngine engine = builder.build();
		for (int i = 0; i < jobs; i++) {
			engine.register(JobDefinition.builder("job-" + i, Schedule.every(interval, Duration.ZERO),
					(context) -> runsPerFire.merge(context.jobName() + "@" + context.scheduledTime(), 1, Integer::sum))
				.build());
		}
		return engine;
	}

}
