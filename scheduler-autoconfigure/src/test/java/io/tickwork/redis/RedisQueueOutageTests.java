package io.tickwork.redis;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.tickwork.Backoff;
import io.tickwork.QueuedJob;
import io.tickwork.RetryPolicy;
import io.tickwork.queue.HandlerDefinition;
import io.tickwork.queue.JsonCodec;
import io.tickwork.queue.QueueEngine;
import io.tickwork.queue.QueueSettings;
import io.tickwork.test.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Redis with persistence killed for 12 seconds (longer than the lease and the command
 * timeout) while two instances drain a queue: no job is lost, every job ends succeeded,
 * and only attempts cut by the outage run twice.
 */
class RedisQueueOutageTests {

	@RegisterExtension
	static final RedisServer redis = new RedisServer(true);

	private final List<RedisStoreSupport> supports = new ArrayList<>();

	private final List<QueueEngine> engines = new ArrayList<>();

	@AfterEach
	void close() {
		this.engines.forEach(QueueEngine::stop);
		this.supports.forEach(RedisStoreSupport::close);
	}

	@Test
	void noJobIsLostWhenRedisIsKilledAndComesBack() throws Exception {
		redis.flushAll();
		Map<Integer, AtomicInteger> runs = new ConcurrentHashMap<>();
		for (String instance : List.of("a", "b")) {
			RedisStoreSupport support = new RedisStoreSupport(redis, 10);
			support.openKeepingData(Clock.systemUTC());
			this.supports.add(support);
			QueueEngine engine = QueueEngine.builder()
				.store(new RedisQueueStore(support.store()), true)
				.codec(new JsonCodec())
				.instanceId(instance)
				.lease(Duration.ofSeconds(3))
				.settings((type) -> QueueSettings.DEFAULTS)
				.shutdownTimeout(Duration.ofSeconds(1))
				.build();
			engine.register(new HandlerDefinition("outage", Integer.class, (payload, context) -> {
				runs.computeIfAbsent((Integer) payload, (n) -> new AtomicInteger()).incrementAndGet();
				Thread.sleep(20);
			}, null, new RetryPolicy(5, Backoff.FIXED, Duration.ofMillis(100), 1, Duration.ofMillis(100), 0), 4, true,
					instance));
			this.engines.add(engine);
		}
		QueueEngine producer = this.engines.get(0);
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 400; i++) {
			ids.add(producer.enqueue("outage", i));
		}
		this.engines.forEach(QueueEngine::start);
		await().atMost(Duration.ofSeconds(20)).until(() -> runs.size() >= 100);
		redis.kill();
		int before = runs.size();
		Thread.sleep(12_000);
		redis.start();
		await().atMost(Duration.ofSeconds(60)).until(() -> runs.size() == 400 && producer.size("outage") == 0);
		for (String id : ids) {
			assertThat(producer.get("outage", id)).get().extracting(QueuedJob::status)
				.isEqualTo(QueuedJob.Status.SUCCEEDED);
		}
		long twice = runs.values().stream().filter((count) -> count.get() > 1).count();
		assertThat(before).isLessThan(400);
		assertThat(twice).as("jobs run twice: only attempts cut by the outage (2 instances x 4 slots)")
			.isLessThanOrEqualTo(8);
	}

}
