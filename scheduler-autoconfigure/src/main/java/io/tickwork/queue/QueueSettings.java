package io.tickwork.queue;

import java.time.Duration;

/**
 * How the store keeps one type's jobs, for producers and workers alike.
 *
 * @param capacity the most ready and delayed jobs of the type
 * @param retention how long a succeeded or cancelled job is kept (and its id taken)
 * @param deadLetterMax the most jobs kept in the dead letter; the oldest go first
 * @param deadLetterTtl how long a job stays in the dead letter
 * @author Tickwork team
 * @since 0.2.0
 */
public record QueueSettings(long capacity, Duration retention, int deadLetterMax, Duration deadLetterTtl) {

	/** The defaults: 100,000 jobs, finished ones kept an hour, 10,000 dead ones kept 7 days. */
	public static final QueueSettings DEFAULTS = new QueueSettings(100_000, Duration.ofHours(1), 10_000,
			Duration.ofDays(7));

	/**
	 * Checks the settings.
	 */
	public QueueSettings {
		if (capacity < 1) {
			throw new IllegalArgumentException("capacity " + capacity + " must be at least 1");
		}
		if (retention == null || retention.isNegative()) {
			throw new IllegalArgumentException("retention " + retention + " must be zero or more");
		}
		if (deadLetterMax < 0) {
			throw new IllegalArgumentException("dead-letter max " + deadLetterMax + " must be zero or more");
		}
		if (deadLetterTtl == null || deadLetterTtl.isNegative() || deadLetterTtl.isZero()) {
			throw new IllegalArgumentException("dead-letter ttl " + deadLetterTtl + " must be positive");
		}
	}

}
