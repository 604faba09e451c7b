package io.tickwork.state;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the {@link JobStateStore} contract against {@link InMemoryJobStateStore}, plus its
 * claimed-fires window.
 */
class InMemoryJobStateStoreTests extends JobStateStoreContractTests {

	private final InMemoryJobStateStore store = new InMemoryJobStateStore();

	@Override
	protected JobStateStore store() {
		return this.store;
	}

	@Test
	void eachFireIsClaimedOnceAndInOrder() {
		InMemoryJobStateStore store = new InMemoryJobStateStore(3);
		assertThat(store.claimFire("a", T.plusSeconds(2))).isTrue();
		assertThat(store.takeFire("a", T.plusSeconds(1))).isEqualTo(JobStateStore.FireClaim.SUPERSEDED);
		assertThat(store.takeFire("a", T.plusSeconds(2))).isEqualTo(JobStateStore.FireClaim.CLAIMED);
		assertThat(store.claimFire("a", T.plusSeconds(1))).isFalse();
		assertThat(store.claimFire("b", T.plusSeconds(1))).isTrue();
		assertThat(store.lastFire("a")).contains(T.plusSeconds(2));
	}

	@Test
	void aFireOlderThanTheWholeWindowCountsAsClaimed() {
		InMemoryJobStateStore store = new InMemoryJobStateStore(2);
		assertThat(store.claimFire("a", T.plusSeconds(5))).isTrue();
		assertThat(store.claimFire("a", T.plusSeconds(6))).isTrue();
		assertThat(store.claimFire("a", T.plusSeconds(1))).isFalse();
		assertThat(store.claimFire("a", T.plusSeconds(7))).isTrue();
		assertThat(store.claimFire("a", T.plusSeconds(5))).isFalse();
		assertThat(store.lastFire("a")).contains(T.plusSeconds(7));
	}

}
