package io.tickwork.state;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The meaning every {@link JobStateStore} must keep; subclasses supply the
 * implementation.
 */
public abstract class JobStateStoreContractTests {

	protected static final Instant T = Instant.parse("2026-01-05T10:00:00Z");

	/**
	 * The store under test.
	 * @return the store
	 */
	protected abstract JobStateStore store();

	@Test
	void pauseAndResumeAreIdempotent() {
		assertThat(store().isPaused("job")).isFalse();
		store().pause("job");
		store().pause("job");
		assertThat(store().isPaused("job")).isTrue();
		assertThat(store().isPaused("other")).isFalse();
		assertThat(store().pausedJobs()).containsExactly("job");
		store().resume("job");
		store().resume("job");
		assertThat(store().isPaused("job")).isFalse();
		assertThat(store().pausedJobs()).isEmpty();
	}

	@Test
	void eachFireIsClaimedOnceAndTheLatestIsRemembered() {
		assertThat(store().lastFire("job")).isEmpty();
		assertThat(store().claimFire("job", T.plusSeconds(2))).isTrue();
		assertThat(store().claimFire("job", T.plusSeconds(1))).isTrue();
		assertThat(store().claimFire("job", T.plusSeconds(2))).isFalse();
		assertThat(store().claimFire("other", T.plusSeconds(2))).isTrue();
		assertThat(store().lastFire("job")).contains(T.plusSeconds(2));
	}

}
