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
		assertThat(slots.start()).isTrue();
		ClaimSlots.Reservation first = slots.reserve(true);
		assertThat(first.slots()).isEqualTo(4);
		slots.freed();
		// a second claim while the first is under way takes only the slot freed since
		assertThat(slots.start()).isTrue();
		ClaimSlots.Reservation second = slots.reserve(true);
		assertThat(second.slots()).isEqualTo(1);
		assertThat(slots.start()).as("no third claim").isFalse();
		slots.answered(first, 4);
		slots.ended();
		slots.answered(second, 1);
		slots.ended();
		assertThat(slots.hasFree()).isFalse();
		assertThat(slots.anyUnderWay()).isFalse();
	}

	@Test
	void aShortAnswerStopsASecondClaimUntilWorkIsNoticed() {
		ClaimSlots slots = new ClaimSlots(4);
		assertThat(slots.start()).isTrue();
		ClaimSlots.Reservation reservation = slots.reserve(true);
		slots.answered(reservation, 1);
		slots.ended();
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
		assertThat(slots.start()).isTrue();
		ClaimSlots.Reservation reservation = slots.reserve(true);
		slots.noticed();
		slots.answered(reservation, 0);
		slots.ended();
		assertThat(slots.wantsMore()).isTrue();
	}

	@Test
	void aFailedClaimGivesItsSlotsBackAndAClaimThatTakesNothingKeepsThem() {
		ClaimSlots slots = new ClaimSlots(3);
		assertThat(slots.start()).isTrue();
		ClaimSlots.Reservation failed = slots.reserve(true);
		assertThat(slots.hasFree()).isFalse();
		slots.failed(failed);
		slots.ended();
		assertThat(slots.start()).isTrue();
		ClaimSlots.Reservation endsOnly = slots.reserve(false);
		assertThat(endsOnly.slots()).isZero();
		slots.answered(endsOnly, 0);
		slots.ended();
		assertThat(slots.reserve(true).slots()).isEqualTo(3);
	}

}
