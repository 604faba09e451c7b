package io.tickwork.redis;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link SlotGroups}.
 */
class SlotGroupsTests {

	@Test
	void tagsFallInEqualSlotRangesSoEachMasterOfAnEvenLayoutHoldsAsMany() {
		assertThat(perMaster(new SlotGroups(3))).containsEntry(0, 1).containsEntry(1, 1).containsEntry(2, 1);
		assertThat(perMaster(new SlotGroups(12))).containsEntry(0, 4).containsEntry(1, 4).containsEntry(2, 4);
	}

	private static Map<Integer, Integer> perMaster(SlotGroups groups) {
		Map<Integer, Integer> perMaster = new HashMap<>();
		Set<String> tags = new HashSet<>();
		for (int i = 0; i < 100_000 && tags.size() < groups.count(); i++) {
			tags.add(groups.tagOf("job-" + i));
		}
		assertThat(tags).hasSize(groups.count());
		for (String tag : tags) {
			// redis-cli --cluster create splits the slots of 3 masters at 5461 and 10923
			int slot = SlotHash.getSlot(tag);
			int master = (slot < 5461) ? 0 : (slot < 10923) ? 1 : 2;
			perMaster.merge(master, 1, Integer::sum);
		}
		return perMaster;
	}

	@Test
	void aJobsTagIsTheSameOnEveryInstanceAndVersion() {
		// the keys of existing jobs depend on it: a change here moves every job's state
		SlotGroups groups = new SlotGroups(12);
		assertThat(groups.tagOf("reports")).isEqualTo(new SlotGroups(12).tagOf("reports"));
		assertThat(groups.tagOf("reports")).isEqualTo("g" + Math.floorMod("reports".hashCode(), 12)
				+ tagSuffix(groups.tagOf("reports")));
		assertThat(new SlotGroups(1).tagOf("anything")).isEqualTo("g0");
	}

	private static String tagSuffix(String tag) {
		int dash = tag.indexOf('-');
		return (dash < 0) ? "" : tag.substring(dash);
	}

	@Test
	void jobsSpreadOverTheGroups() {
		SlotGroups groups = new SlotGroups(12);
		Map<String, Integer> counts = new HashMap<>();
		for (int i = 0; i < 1200; i++) {
			counts.merge(groups.tagOf("job-" + i), 1, Integer::sum);
		}
		assertThat(counts).hasSize(12);
		assertThat(counts.values()).allSatisfy((count) -> assertThat(count).isBetween(50, 150));
	}

	@Test
	void countOutsideItsBoundsIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> new SlotGroups(0))
			.withMessage("slot groups must be between 1 and 1024, was 0");
		assertThatIllegalArgumentException().isThrownBy(() -> new SlotGroups(1025));
	}

}
