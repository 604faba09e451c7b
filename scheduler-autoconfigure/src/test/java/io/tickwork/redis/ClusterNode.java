package io.tickwork.redis;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.tickwork.JobDefinition;
import io.tickwork.engine.TickworkEngine;
import io.tickwork.schedule.Schedule;

/**
 * A separate JVM that claims job {@code victim} on the given Redis, prints
 * {@code RUNNING <execution id>} and then blocks, so that a test can kill it with
 * {@code kill -9} or stop it with {@code SIGSTOP} mid-job. Arguments: Redis port, lock time
 * to live in milliseconds, and optionally how long the job runs in milliseconds (for
 * ever if absent).
 */
public final class ClusterNode {

	private ClusterNode() {
	}

	public static void main(String[] args) throws Exception {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration("127.0.0.1", Integer.parseInt(args[0])));
		factory.afterPropertiesSet();
		factory.start();
		RedisJobStore store = new RedisJobStore(new StringRedisTemplate(factory),
				new RedisJobStore.Settings("tickwork:", Duration.ofSeconds(1), 64, 100, Duration.ofHours(1), 100),
				Clock.systemUTC());
		TickworkEngine engine = TickworkEngine.builder()
			.executor(Executors.newCachedThreadPool())
			.lock(new RedisJobLock(store, true))
			.history(new RedisJobHistory(store))
			.state(new RedisJobStateStore(store))
			.instanceId("doomed-node")
			.lockTtl(Duration.ofMillis(Long.parseLong(args[1])))
			.build();
		engine.register(JobDefinition.builder("victim", Schedule.once(Instant.now()), (context) -> {
			System.out.println("RUNNING " + context.executionId());
			System.out.flush();
			Thread.sleep((args.length > 2) ? Long.parseLong(args[2]) : Long.MAX_VALUE);
		}).build());
		engine.start();
	}

}
