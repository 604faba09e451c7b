package io.tickwork.schedule;

import java.time.Duration;

/**
 * Formats durations the way users write them in configuration.
 *
 * @author Tickwork team
 * @since 0.1.0
 */
public final class Durations {

	private Durations() {
	}

	/**
	 * Formats a duration in the largest whole unit: {@code 30s}, {@code 5m},
	 * {@code 1h}, {@code 2d}, {@code 250ms}, or ISO-8601 when no unit divides it.
	 * @param duration the duration
	 * @return the text
	 */
	public static String format(Duration duration) {
		long nanos;
		try {
			nanos = duration.toNanos();
		}
		catch (ArithmeticException ex) {
			return duration.toString();
		}
		if (nanos != 0) {
			long[] units = { 86_400_000_000_000L, 3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L, 1_000_000L };
			String[] names = { "d", "h", "m", "s", "ms" };
			for (int i = 0; i < units.length; i++) {
				if (nanos % units[i] == 0) {
					return (nanos / units[i]) + names[i];
				}
			}
		}
		return (nanos == 0) ? "0s" : duration.toString();
	}

	static Duration checkPositive(Duration duration, String name) {
		if (duration == null || duration.toMillis() < 1) {
			throw new IllegalArgumentException(name + " must be at least 1ms, was " + duration);
		}
		return duration;
	}

}
