package io.tickwork.schedule;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Optional;

/**
 * When a job fires: a cron expression in a zone, wall-clock times (daily, weekly,
 * monthly), a fixed rate, a fixed delay or a single instant. Implementations must be immutable and thread-safe.
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
	 * The schedule as the given job uses it. An {@link #every(Duration)} schedule without
	 * an explicit phase returns one shifted by a phase derived from the job's name, the
	 * same on every instance; every other schedule returns itself.
	 * @param jobName the job's name
	 * @return the schedule for that job
	 */
	default Schedule forJob(String jobName) {
		return this;
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
	 * A fixed rate: fires at every multiple of the interval since the epoch, shifted by a
	 * phase that each job derives from its name ({@link #forJob(String)}), so that every
	 * instance computes the same fire times and jobs sharing an interval do not all fire
	 * at once. Use {@link #every(Duration, Duration)} to choose the phase, or a cron
	 * expression for wall-clock times.
	 * @param interval the interval, at least one millisecond
	 * @return the schedule
	 */
	static Schedule every(Duration interval) {
		return new IntervalSchedule(interval, null);
	}

	/**
	 * A fixed rate with a chosen phase: fires at every multiple of the interval since the
	 * epoch plus the phase ({@code every(30s, 0s)} fires at :00 and :30).
	 * @param interval the interval, at least one millisecond
	 * @param phase the shift, at least zero and below the interval
	 * @return the schedule
	 */
	static Schedule every(Duration interval, Duration phase) {
		return new IntervalSchedule(interval, java.util.Objects.requireNonNull(phase, "phase must not be null"));
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

	/**
	 * Every day at the given times of day in a zone, such as
	 * {@code daily(ZoneId.of("Europe/Paris"), LocalTime.of(10, 30), LocalTime.of(14, 45))};
	 * exact under daylight saving as a fixed-time cron expression is.
	 * @param zone the zone
	 * @param times the times of day, in whole seconds, at least one
	 * @return the schedule
	 * @since 0.1.0
	 */
	static Schedule daily(ZoneId zone, LocalTime... times) {
		return WallClockSchedule.daily(zone, times);
	}

	/**
	 * Every day at the given times of day in the JVM's default zone.
	 * @param times the times of day, in whole seconds, at least one
	 * @return the schedule
	 * @since 0.1.0
	 */
	static Schedule daily(LocalTime... times) {
		return WallClockSchedule.daily(ZoneId.systemDefault(), times);
	}

	/**
	 * Once a week, on a day at a time of day in a zone.
	 * @param day the day of the week
	 * @param time the time of day, in whole seconds
	 * @param zone the zone
	 * @return the schedule
	 * @since 0.1.0
	 */
	static Schedule weekly(DayOfWeek day, LocalTime time, ZoneId zone) {
		return WallClockSchedule.weekly(day, time, zone);
	}

	/**
	 * Once a month, on a day of the month at a time of day in a zone. As in cron, a month
	 * without that day (the 31st in April) has no fire; for the last day of every month
	 * use the cron expression {@code 0 9 L * *}.
	 * @param day the day of the month, 1 to 31
	 * @param time the time of day, in whole seconds
	 * @param zone the zone
	 * @return the schedule
	 * @since 0.1.0
	 */
	static Schedule monthly(int day, LocalTime time, ZoneId zone) {
		return WallClockSchedule.monthly(day, time, zone);
	}

}
