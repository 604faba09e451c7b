package io.tickwork.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

/**
 * When a job fires: a cron expression in a zone, a fixed rate, a fixed delay or a single
 * instant. Implementations must be immutable and thread-safe.
 * <p>
 * {@link #toString()} describes the schedule for people, such as {@code cron 0 9 * * MON}
 * or {@code every 30s}.
 *
 * @author Tickwork team
 * @since 0.1.0
 */
public interface Schedule {

	/**
	 * The first fire strictly after an instant.
	 * @param after the instant
	 * @return the next fire time, or empty if the schedule never fires again
	 */
	Optional<Instant> next(Instant after);

	/**
	 * The first fire of a schedule registered at {@code now}. A one-time schedule in the
	 * past returns its instant so that the fire is handled as late rather than lost.
	 * @param now the registration time
	 * @return the first fire time, or empty if the schedule never fires
	 */
	default Optional<Instant> first(Instant now) {
		return next(now);
	}

	/**
	 * Whether the next fire is computed from the end of the previous execution
	 * ({@link #fixedDelay(Duration)}) instead of from its scheduled time.
	 * @return whether this is a fixed-delay schedule
	 */
	default boolean fromCompletion() {
		return false;
	}

	/**
	 * Zone in which the schedule is evaluated.
	 * @return the zone, or {@code null} if the schedule does not depend on one
	 */
	default ZoneId zone() {
		return null;
	}

	/**
	 * A cron schedule in the JVM's default zone.
	 * @param expression the cron expression
	 * @return the schedule
	 * @throws InvalidCronExpressionException if the expression is not valid
	 * @see CronExpression
	 */
	static Schedule cron(String expression) {
		return cron(expression, ZoneId.systemDefault());
	}

	/**
	 * A cron schedule in a zone.
	 * @param expression the cron expression
	 * @param zone the zone
	 * @return the schedule
	 * @throws InvalidCronExpressionException if the expression is not valid
	 * @see CronExpression
	 */
	static Schedule cron(String expression, ZoneId zone) {
		return new CronSchedule(CronExpression.parse(expression), zone);
	}

	/**
	 * A fixed rate: fires at every multiple of the interval since the epoch, so that
	 * every instance computes the same fire times.
	 * @param interval the interval, at least one millisecond
	 * @return the schedule
	 */
	static Schedule every(Duration interval) {
		return new IntervalSchedule(interval);
	}

	/**
	 * A fixed delay: fires the given time after the previous execution on this instance
	 * ended.
	 * @param delay the delay, at least one millisecond
	 * @return the schedule
	 */
	static Schedule fixedDelay(Duration delay) {
		return new FixedDelaySchedule(delay);
	}

	/**
	 * A single fire.
	 * @param at the fire time
	 * @return the schedule
	 */
	static Schedule once(Instant at) {
		return new OnceSchedule(at);
	}

}
