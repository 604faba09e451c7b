package io.tickwork.history;

import org.junit.jupiter.api.Test;

import io.tickwork.engine.ExecutionIds;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ExecutionIdBits}.
 */
class ExecutionIdBitsTests {

	@Test
	void engineIdsRoundTripThroughTwoLongs() {
		long[] bits = new long[2];
		for (long millis : new long[] { 0, 1, 1_763_820_000_000L, (1L << 48) - 1 }) {
			for (int i = 0; i < 1000; i++) {
				String id = ExecutionIds.next(millis);
				assertThat(ExecutionIdBits.pack(id, bits)).as(id).isTrue();
				assertThat(ExecutionIdBits.unpack(bits[0], bits[1])).isEqualTo(id);
			}
		}
	}

	@Test
	void theLargestIdUsesAllBits() {
		long[] bits = new long[2];
		String largest = "7" + "Z".repeat(25);
		assertThat(ExecutionIdBits.pack(largest, bits)).isTrue();
		assertThat(bits).containsExactly(-1L, -1L);
		assertThat(ExecutionIdBits.unpack(-1L, -1L)).isEqualTo(largest);
	}

	@Test
	void otherIdsAreNotPacked() {
		long[] bits = new long[2];
		assertThat(ExecutionIdBits.pack("a", bits)).isFalse();
		assertThat(ExecutionIdBits.pack("01m817s7rwrg5vtn11e6x32gk7", bits)).isFalse();
		assertThat(ExecutionIdBits.pack("81M817S7RWRG5VTN11E6X32GK7", bits)).isFalse();
		assertThat(ExecutionIdBits.pack("01M817S7RWRG5VTN11E6X32GKU", bits)).isFalse();
		assertThat(ExecutionIdBits.pack("01M817S7RWRG5VTN11E6X32GKé", bits)).isFalse();
	}

}
