package io.tickwork.lock;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.tickwork.state.InMemoryJobStateStore;
import io.tickwork.state.JobStateStore;
import io.tickwork.test.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

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

	@Test
	void aTokenThatOnlyResemblesTheHoldersIsRefused() {
		// claim until the fencing token's hex form has a letter, so that case counts too
		Lease lease = lock().claim(request("job", FIRE, "e1")).lease();
		for (int i = 1; !Long.toHexString(lease.fencingToken()).matches(".*[a-f].*"); i++) {
			assertThat(lock().release(lease, finished(lease))).isTrue();
			lease = lock().claim(request("job", FIRE.plusSeconds(i), "e1")).lease();
		}
		String hex = Long.toHexString(lease.fencingToken());
		assertThat(lease.token()).isEqualTo("e1:" + hex);
		for (String forged : List.of("e1:0" + hex, "e1:" + hex.toUpperCase(), "e1:" + hex + "0", "e1:", "e1",
				"e1;" + hex, "e2:" + hex, "e1:+" + hex, "e1:" + hex.substring(1) + "g", "xe1:" + hex)) {
			Lease impostor = new Lease("job", forged, lease.fencingToken(), lease.scheduledTime(), true, "e1");
			assertThat(lock().extend(impostor, ttl())).as(forged).isFalse();
			assertThat(lock().release(impostor, finished(impostor))).as(forged).isFalse();
		}
		assertThat(lock().extend(lease, ttl())).isTrue();
		assertThat(lock().release(lease, finished(lease))).isTrue();
	}

}
