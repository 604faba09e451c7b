package io.tickwork.schedule;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.Objects;
import java.util.Optional;

/**
 * A cron expression evaluated in a time zone, with the daylight-saving rules of Vixie
 * cron and cronie.
 * <p>
 * The timeline is walked in segments of constant UTC offset. Within a segment local time
 * is monotonic, so the next match is a plain local search. A fixed-time job (minute and
 * hour fields not starting with {@code *}) whose local times a spring-forward gap skips
 * fires once, at the first instant after the gap; a wildcard-time job fires on the new
 * time only, its slots in the gap skipped. Local times that a fall-back repeats fire in
 * both copies for a wildcard-time job and only in the first copy for a fixed-time job.
 * As in cron, a jump of at most 4 minutes runs every job's missed slots once after it,
 * and a jump of 3 hours or more (a clock change, not daylight saving) runs only the
 * jobs of the new time, and a fixed-time job again in a repeated stretch. Immutable and
 * thread-safe.
 *
 * @author Tickwork team
 * @since 0.1.0
 */
public final class CronSchedule implements Schedule {

	/** Cron runs every job of each missed minute after a jump of at most this many seconds. */
	private static final int MAX_LATE_WAKE_UP = 4 * 60;

	/**
	 * Cron treats a jump of the local clock of at least this many seconds (forward) or
	 * more (backward) as a clock change rather than daylight saving: it runs the jobs of
	 * the new time and nothing else.
	 */
	private static final int MAX_TIME_CHANGE = 3 * 3600;

	private final CronExpression expression;

	private final ZoneId zone;

	private final ZoneRules rules;

	private final ZoneOffset fixedOffset;

	/** Racy single-entry cache of the last offset segment; safe because immutable. */
	private Segment segment = new Segment(Long.MAX_VALUE, Long.MIN_VALUE, 0, Long.MIN_VALUE, 0);

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
		boolean wildcard = this.expression.isWildcardTime();
		long limit = from + 401L * 366 * 86400;
		while (from < limit) {
			Segment current = segmentOf(from);
			if (from == current.start && current.gap > 0 && catchesUp(wildcard, current.gap)
					&& this.expression.nextLocal(current.start + current.offset - current.gap,
							current.start + current.offset) != Long.MAX_VALUE) {
				// local times the gap skipped fire once, at its end
				return toInstant(current.start);
			}
			long start = from + current.offset;
			if (!wildcard && start < current.repeatedUntil) {
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
			from = current.end;
		}
		return Optional.empty();
	}

	/**
	 * Whether local times that a gap of this many seconds skipped fire at its end, as in
	 * cron: fixed-time jobs catch up after a gap shorter than 3 hours, wildcard jobs only
	 * after one of at most 4 minutes (cron runs every job of each missed minute then).
	 */
	private static boolean catchesUp(boolean wildcard, int gap) {
		return wildcard ? gap <= MAX_LATE_WAKE_UP : gap < MAX_TIME_CHANGE;
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
		int shift = (previous != null)
				? previous.getOffsetAfter().getTotalSeconds() - previous.getOffsetBefore().getTotalSeconds() : 0;
		// fixed-time jobs do not fire again in a repeated stretch, unless it repeats more than 3 hours
		long repeatedUntil = (shift < 0 && -shift <= MAX_TIME_CHANGE)
				? previous.toEpochSecond() + previous.getOffsetBefore().getTotalSeconds() : Long.MIN_VALUE;
		Segment computed = new Segment(start, end, offset, repeatedUntil, Math.max(shift, 0));
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
	 * below {@code repeatedUntil} also occurred before the fall-back that opened it, and
	 * {@code gap} local seconds were skipped by the spring-forward that opened it.
	 */
	private record Segment(long start, long end, int offset, long repeatedUntil, int gap) {
	}

}
