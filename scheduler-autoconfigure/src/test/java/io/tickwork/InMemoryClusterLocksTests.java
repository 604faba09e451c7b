package io.tickwork;

import java.time.Clock;

import io.tickwork.lock.InMemoryJobLock;
import io.tickwork.lock.JobLock;
import io.tickwork.state.InMemoryJobStateStore;

/**
 * Runs the {@link ClusterLocks} contract on locks kept in memory.
 */
class InMemoryClusterLocksTests extends ClusterLocksContractTests {

	private final InMemoryJobLock lock = new InMemoryJobLock(new InMemoryJobStateStore(), Clock.systemUTC());

	@Override
	protected JobLock lock() {
		return this.lock;
	}

}
