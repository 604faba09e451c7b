package io.tickwork.queue;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ClaimSlots}.
 */
class ClaimSlotsTests {

	@Test
	void claimsUnderWayAtOnceShareTheSlotsAndNeverTakeMore() {
		ClaimSlots slots = new ClaimSlots(4);
		ClaimSlots.Reservation first = started(slots, true);
		assertThat(first.slots()).isEqualTo(4);
		slots.freed();
		// a second claim while the first is under way takes only the slot freed since
		ClaimSlots.Reservation second = started(slots, true);
		assertThat(second.slots()).isEqualTo(1);
		assertThat(slots.start()).as("no third claim").isFalse();
		answered(slots, first, 4);
		answered(slots, second, 1);
		assertThat(slots.hasFree()).isFalse();
		assertThat(slots.anyUnderWay()).isFalse();
	}

	@Test
	void aShortAnswerStopsASecondClaimUntilWorkIsNoticed() {
		ClaimSlots slots = new ClaimSlots(4);
		ClaimSlots.Reservation reservation = started(slots, true);
		answered(slots, reservation, 1);
		assertThat(slots.wantsMore()).isFalse();
		assertThat(slots.start()).isTrue();
		// the store showed no more ready jobs than the claim under way could take
		assertThat(slots.start()).isFalse();
		slots.noticed();
		assertThat(slots.start()).isTrue();
	}

	@Test
	void aNoticeOfWorkWhileAClaimIsUnderWayOutlivesItsShortAnswer() {
		ClaimSlots slots = new ClaimSlots(2);
		ClaimSlots.Reservation reservation = started(slots, true);
		slots.noticed();
		answered(slots, reservation, 0);
		assertThat(slots.wantsMore()).isTrue();
	}

	@Test
	void aFailedClaimGivesItsSlotsBackAndAClaimThatTakesNothingKeepsThem() {
		ClaimSlots slots = new ClaimSlots(3);
		ClaimSlots.Reservation failed = started(slots, true);
		assertThat(slots.hasFree()).isFalse();
		slots.failed(failed);
		slots.ended();
		ClaimSlots.Reservation endsOnly = started(slots, false);
		assertThat(endsOnly.slots()).isZero();
		answered(slots, endsOnly, 0);
		assertThat(slots.anyUnderWay()).isFalse();
		assertThat(slots.reserve(true).slots()).isEqualTo(3);
	}

	/** Starts a claim, which must be allowed, and takes its slots. */
	private static ClaimSlots.Reservation started(ClaimSlots slots, boolean taking) {
		assertThat(slots.start()).isTrue();
		return slots.reserve(taking);
	}

	private static void answered(ClaimSlots slots, ClaimSlots.Reservation reservation, int delivered) {
		slots.answered(reservation, delivered);
		slots.ended();
	}

}
