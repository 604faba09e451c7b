package io.tickwork.lock;

import java.time.Duration;

import io.tickwork.state.InMemoryJobStateStore;
import io.tickwork.state.JobStateStore;
import io.tickwork.test.MutableClock;

/**
 * Runs the {@link JobLock} contract against {@link InMemoryJobLock}.
 */
class InMemoryJobLockTests extends JobLockContractTests {

	private final MutableClock clock = new MutableClock(FIRE);

	private final InMemoryJobStateStore state = new InMemoryJobStateStore();

	private final InMemoryJobLock lock = new InMemoryJobLock(this.state, this.clock);

	@Override
	protected JobLock lock() {
		return this.lock;
	}

	@Override
	protected JobStateStore state() {
		return this.state;
	}

	@Override
	protected void elapse(Duration duration) {
		this.clock.advance(duration);
	}

}
