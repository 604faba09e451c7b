package io.tickwork.redis;

import java.io.IOException;
import java.time.Clock;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.tickwork.state.JobStateStore;
import io.tickwork.state.JobStateStoreContractTests;
import io.tickwork.test.RedisServer;

/**
 * Runs the {@link JobStateStore} contract against {@link RedisJobStateStore} on a real
 * Redis.
 */
class RedisJobStateStoreTests extends JobStateStoreContractTests {

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	private final RedisStoreSupport support = new RedisStoreSupport(redis, 10);

	private RedisJobStateStore store;

	@BeforeEach
	void open() throws IOException {
		this.support.open(Clock.systemUTC());
		this.store = new RedisJobStateStore(this.support.store());
	}

	@AfterEach
	void close() {
		this.support.close();
	}

	@Override
	protected JobStateStore store() {
		return this.store;
	}

}
