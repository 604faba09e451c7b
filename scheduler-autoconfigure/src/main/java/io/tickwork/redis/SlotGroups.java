package io.tickwork.redis;

import org.springframework.data.redis.connection.ClusterSlotHashUtil;

/**
 * Spreads jobs over a bounded number of hash tags, so that on a Redis Cluster the
 * operations of many jobs share one script call per tag instead of one per job. Tag
 * {@code i} of {@code n} is the first of {@code g<i>}, {@code g<i>-1}, {@code g<i>-2}, …
 * whose hash slot falls in the middle half of the {@code i}-th of {@code n} equal ranges
 * of the 16,384 slots, so the tags spread evenly over a layout that splits the slots in
 * equal ranges, as {@code redis-cli --cluster create} does (3 groups: one on each master
 * of 3; 6 groups: one on each of 6, two on each of 3). A job's group is its name's
 * {@link String#hashCode()} modulo {@code n}: the same on every instance and version.
 * Immutable.
 */
final class SlotGroups {

	private static final int SLOTS = 16_384;

	private final String[] tags;

	SlotGroups(int count) {
		if (count < 1 || count > 1024) {
			throw new IllegalArgumentException("slot groups must be between 1 and 1024, was " + count);
		}
		this.tags = new String[count];
		for (int i = 0; i < count; i++) {
			this.tags[i] = tag(i, count);
		}
	}

	private static String tag(int group, int count) {
		double width = (double) SLOTS / count;
		double from = group * width + width / 4;
		double to = (group + 1) * width - width / 4;
		for (int n = 0;; n++) {
			String tag = (n == 0) ? "g" + group : "g" + group + "-" + n;
			int slot = ClusterSlotHashUtil.calculateSlot(tag);
			if (slot >= from && slot < to) {
				return tag;
			}
		}
	}

	/** The hash tag of a job's keys, without braces. */
	String tagOf(String job) {
		return this.tags[Math.floorMod(job.hashCode(), this.tags.length)];
	}

	int count() {
		return this.tags.length;
	}

}
