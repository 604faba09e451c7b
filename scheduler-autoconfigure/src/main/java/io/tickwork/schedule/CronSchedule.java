package io.tickwork.schedule;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.Objects;
import java.util.Optional;

/**
 * A cron expression evaluated in a time zone, with Vixie cron's daylight-saving rules.
 * <p>
 * The timeline is walked in segments of constant UTC offset. Within a segment local time
 * is monotonic, so the next match is a plain local search. Local times that a
 * spring-forward gap skips fire at the first instant after the gap (once, however many
 * slots fell in the gap). Local times that a fall-back repeats fire in both copies for
 * a wildcard-time job and only in the first copy for a fixed-time job. Immutable and
 * thread-safe.
 *
 * @author Tickwork team
 * @since 0.1.0
 */
public final class CronSchedule implements Schedule {

	private final CronExpression expression;

	private final ZoneId zone;

	private final ZoneRules rules;

	private final ZoneOffset fixedOffset;

	/** Racy single-entry cache of the last offset segment; safe because immutable. */
	private Segment segment = new Segment(Long.MAX_VALUE, Long.MIN_VALUE, 0, Long.MIN_VALUE);

	CronSchedule(CronExpression expression, ZoneId zone) {
		this.expression = Objects.requireNonNull(expression, "expression must not be null");
		this.zone = Objects.requireNonNull(zone, "zone must not be null");
		this.rules = zone.getRules();
		this.fixedOffset = this.rules.isFixedOffset() ? this.rules.getOffset(Instant.EPOCH) : null;
	}

	@Override
	public Optional<Instant> next(Instant after) {
		long from = after.getEpochSecond() + 1;
		if (this.fixedOffset != null) {
			int offset = this.fixedOffset.getTotalSeconds();
			long local = this.expression.nextLocal(from + offset, Long.MAX_VALUE);
			return (local != Long.MAX_VALUE) ? toInstant(local - offset) : Optional.empty();
		}
		long limit = from + 401L * 366 * 86400;
		while (from < limit) {
			Segment current = segmentOf(from);
			long start = from + current.offset;
			if (!this.expression.isWildcardTime() && start < current.repeatedUntil) {
				start = current.repeatedUntil;
			}
			long end = (current.end == Long.MAX_VALUE) ? Long.MAX_VALUE : current.end + current.offset;
			long local = this.expression.nextLocal(start, end);
			if (local != Long.MAX_VALUE) {
				return toInstant(local - current.offset);
			}
			if (current.end == Long.MAX_VALUE) {
				return Optional.empty();
			}
			int offsetAfter = this.rules.getOffset(Instant.ofEpochSecond(current.end)).getTotalSeconds();
			if (offsetAfter > current.offset
					&& this.expression.nextLocal(current.end + current.offset, current.end + offsetAfter) != Long.MAX_VALUE) {
				return toInstant(current.end);
			}
			from = current.end;
		}
		return Optional.empty();
	}

	private static Optional<Instant> toInstant(long epochSecond) {
		try {
			return Optional.of(Instant.ofEpochSecond(epochSecond));
		}
		catch (RuntimeException ex) {
			return Optional.empty();
		}
	}

	private Segment segmentOf(long epochSecond) {
		Segment cached = this.segment;
		if (epochSecond >= cached.start && epochSecond < cached.end) {
			return cached;
		}
		Instant instant = Instant.ofEpochSecond(epochSecond);
		int offset = this.rules.getOffset(instant).getTotalSeconds();
		ZoneOffsetTransition next = this.rules.nextTransition(instant);
		ZoneOffsetTransition previous = this.rules.previousTransition(Instant.ofEpochSecond(epochSecond, 1));
		long start = (previous != null) ? previous.toEpochSecond() : Long.MIN_VALUE;
		long end = (next != null) ? next.toEpochSecond() : Long.MAX_VALUE;
		long repeatedUntil = (previous != null && previous.isOverlap())
				? previous.toEpochSecond() + previous.getOffsetBefore().getTotalSeconds() : Long.MIN_VALUE;
		Segment computed = new Segment(start, end, offset, repeatedUntil);
		this.segment = computed;
		return computed;
	}

	@Override
	public ZoneId zone() {
		return this.zone;
	}

	/**
	 * The parsed expression.
	 * @return the expression
	 */
	public CronExpression expression() {
		return this.expression;
	}

	@Override
	public boolean equals(Object obj) {
		return (this == obj) || (obj instanceof CronSchedule other && this.expression.equals(other.expression)
				&& this.zone.equals(other.zone));
	}

	@Override
	public int hashCode() {
		return this.expression.hashCode() * 31 + this.zone.hashCode();
	}

	@Override
	public String toString() {
		return "cron " + this.expression;
	}

	/**
	 * A stretch {@code [start, end)} of epoch seconds with one offset; local seconds
	 * below {@code repeatedUntil} also occurred before the fall-back that opened it.
	 */
	private record Segment(long start, long end, int offset, long repeatedUntil) {
	}

}
