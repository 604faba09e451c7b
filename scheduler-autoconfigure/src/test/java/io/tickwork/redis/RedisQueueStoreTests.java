package io.tickwork.redis;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.dao.QueryTimeoutException;

import io.tickwork.QueuedJob;
import io.tickwork.queue.QueueStore;
import io.tickwork.queue.QueueStoreContractTests;
import io.tickwork.test.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Runs the {@link QueueStore} contract on Redis, and where the keys live.
 */
class RedisQueueStoreTests extends QueueStoreContractTests {

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	private final RedisStoreSupport support = new RedisStoreSupport(redis, 10);

	private RedisQueueStore store;

	@BeforeEach
	void open() throws IOException {
		this.support.open(Clock.systemUTC());
		this.store = new RedisQueueStore(this.support.store());
	}

	@AfterEach
	void close() {
		this.store.close();
		this.support.close();
	}

	@Override
	protected QueueStore store() {
		return this.store;
	}

	@Test
	void enqueuesRedisDoesNotTakeFailAtTheCommandTimeoutAndAreNotSentOnceItIsBack() throws Exception {
		// connected, so that Lettuce holds the commands while Redis is away
		assertThat(this.store.enqueue(job("before"), 10).created()).isTrue();
		redis.kill();
		List<Thread> producers = new ArrayList<>();
		Map<String, Throwable> failures = new ConcurrentHashMap<>();
		long start = System.nanoTime();
		try {
			// more producers than calls may be in flight: each slot must come back
			for (int i = 0; i < 5; i++) {
				String id = "lost" + i;
				Thread producer = new Thread(() -> {
					try {
						this.store.enqueue(job(id), 10);
					}
					catch (RuntimeException ex) {
						failures.put(id, ex);
					}
				});
				producer.start();
				producers.add(producer);
			}
			for (Thread producer : producers) {
				producer.join(10_000);
			}
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(6));
			assertThat(failures).hasSize(5)
				.allSatisfy((id, failure) -> assertThat(failure).isInstanceOf(QueryTimeoutException.class));
		}
		finally {
			redis.start();
		}
		await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
			.until(() -> this.store.enqueue(job("after"), 10).created());
		for (int i = 0; i < 5; i++) {
			assertThat(this.store.get("mail", "lost" + i)).isEmpty();
		}
		assertThat(this.store.get("mail", "after")).isPresent();
	}

	private static QueuedJob job(String id) {
		Instant now = Instant.now();
		return new QueuedJob(id, "mail", QueuedJob.Status.READY, "1", null, 0, 0, 0, null, now, now, null, null, null,
				null, 0);
	}

	@Test
	void everyKeyOfATypeSharesItsHashTag() throws IOException {
		Instant now = Instant.now();
		this.store.enqueue(new QueuedJob("k1", "mail", QueuedJob.Status.READY, "1", null, 0, 0, 0, null, now, now, null,
				null, null, null, 0), 10);
		assertThat(redis.command("KEYS", "tickwork:queue:*")).contains("tickwork:queue:{mail}:ready",
				"tickwork:queue:{mail}:job:k1", "tickwork:queue:{mail}:seq");
		assertThat(redis.command("SMEMBERS", "tickwork:queue-types")).contains("mail");
	}

}
