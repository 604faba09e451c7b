package io.tickwork.redis;

import java.time.Clock;
import java.time.Duration;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.tickwork.RetryPolicy;
import io.tickwork.queue.HandlerDefinition;
import io.tickwork.queue.JsonCodec;
import io.tickwork.queue.QueueEngine;

/**
 * A worker JVM for fault tests: handles one type on a Redis whose jobs sleep for a
 * minute, so that the test can kill it with jobs running. Arguments: the Redis port, the
 * type, the concurrency, the lease in milliseconds.
 */
public final class QueueWorkerMain {

	private QueueWorkerMain() {
	}

	public static void main(String[] args) throws Exception {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration("127.0.0.1", Integer.parseInt(args[0])));
		factory.afterPropertiesSet();
		factory.start();
		RedisJobStore jobs = new RedisJobStore(new StringRedisTemplate(factory),
				new RedisJobStore.Settings("tickwork:", Duration.ofSeconds(2), 8, 100, Duration.ofHours(1), 100),
				Clock.systemUTC());
		QueueEngine engine = QueueEngine.builder()
			.store(new RedisQueueStore(jobs), true)
			.codec(new JsonCodec())
			.instanceId("doomed")
			.lease(Duration.ofMillis(Long.parseLong(args[3])))
			.build();
		engine.register(new HandlerDefinition(args[1], null, (payload, context) -> Thread.sleep(60_000), null,
				new RetryPolicy(3, io.tickwork.Backoff.FIXED, Duration.ZERO, 1, Duration.ZERO, 0),
				Integer.parseInt(args[2]), true, "worker main"));
		engine.start();
		System.out.println("STARTED");
		Thread.sleep(Long.MAX_VALUE);
	}

}
