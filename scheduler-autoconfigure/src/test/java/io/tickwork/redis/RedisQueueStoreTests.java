package io.tickwork.redis;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.tickwork.QueuedJob;
import io.tickwork.queue.QueueStore;
import io.tickwork.queue.QueueStoreContractTests;
import io.tickwork.test.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;

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
	void everyKeyOfATypeSharesItsHashTag() throws IOException {
		Instant now = Instant.now();
		this.store.enqueue(new QueuedJob("k1", "mail", QueuedJob.Status.READY, "1", null, 0, 0, 0, null, now, now, null,
				null, null, null, 0), 10);
		assertThat(redis.command("KEYS", "tickwork:queue:*")).contains("tickwork:queue:{mail}:ready",
				"tickwork:queue:{mail}:job:k1", "tickwork:queue:{mail}:seq");
		assertThat(redis.command("SMEMBERS", "tickwork:queue-types")).contains("mail");
	}

}
