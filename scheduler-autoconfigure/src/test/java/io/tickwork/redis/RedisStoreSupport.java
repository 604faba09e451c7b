package io.tickwork.redis;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.tickwork.test.RedisServer;

/**
 * Opens a {@link RedisJobStore} on a test's private Redis and empties Redis before each
 * test.
 */
final class RedisStoreSupport {

	private final RedisServer server;

	private final int historyMaxPerJob;

	private LettuceConnectionFactory connectionFactory;

	private RedisJobStore store;

	private final boolean shared;

	RedisStoreSupport(RedisServer server, int historyMaxPerJob) {
		this(server, historyMaxPerJob, true);
	}

	/**
	 * A support whose store uses Lettuce's shared connection, or, if not {@code shared},
	 * a connection per call (the store's blocking sender).
	 */
	RedisStoreSupport(RedisServer server, int historyMaxPerJob, boolean shared) {
		this.server = server;
		this.historyMaxPerJob = historyMaxPerJob;
		this.shared = shared;
	}

	void open(Clock clock) throws IOException {
		this.server.flushAll();
		openKeepingData(clock);
	}

	/** Opens a store on what Redis holds, as another instance would. */
	void openKeepingData(Clock clock) {
		this.connectionFactory = this.shared ? this.server.connectionFactory() : this.server.unsharedConnectionFactory();
		this.store = new RedisJobStore(new StringRedisTemplate(this.connectionFactory), new RedisJobStore.Settings(
				"tickwork:", Duration.ofSeconds(2), 8, this.historyMaxPerJob, Duration.ofHours(1), 100), clock);
	}

	void close() {
		this.store.close();
		this.connectionFactory.destroy();
	}

	RedisJobStore store() {
		return this.store;
	}

}
