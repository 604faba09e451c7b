package io.tickwork.schedule;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Fires at wall-clock times of a zone: every day at some times, once a week or once a
 * month, made by {@link Schedule#daily(ZoneId, LocalTime...)},
 * {@link Schedule#weekly(DayOfWeek, LocalTime, ZoneId)} and
 * {@link Schedule#monthly(int, LocalTime, ZoneId)}. Each time is a fixed-time cron
 * expression, so daylight saving is handled exactly as cron handles it: a time in a
 * spring-forward gap fires once, right after the gap, and a time a fall-back repeats
 * fires once. Immutable and thread-safe.
 *
 * @author Tickwork team
 * @since 0.1.0
 */
public final class WallClockSchedule implements Schedule {

	private final List<CronSchedule> times;

	private final ZoneId zone;

	private final String description;

	private WallClockSchedule(List<CronSchedule> times, ZoneId zone, String description) {
		this.times = times;
		this.zone = zone;
		this.description = description;
	}

	static WallClockSchedule daily(ZoneId zone, LocalTime... times) {
		Objects.requireNonNull(times, "times must not be null");
		if (times.length == 0) {
			throw new IllegalArgumentException("daily needs at least one time of day");
		}
		List<LocalTime> sorted = List.of(times).stream().map(WallClockSchedule::check).sorted().distinct().toList();
		List<CronSchedule> crons = new ArrayList<>();
		for (LocalTime time : sorted) {
			crons.add(cron(time, "* * *", zone));
		}
		return new WallClockSchedule(crons, zone,
				"daily at " + sorted.stream().map(WallClockSchedule::format).collect(Collectors.joining(", ")));
	}

	static WallClockSchedule weekly(DayOfWeek day, LocalTime time, ZoneId zone) {
		Objects.requireNonNull(day, "day must not be null");
		// cron counts days of the week from Sunday, 0
		String dow = String.valueOf(day.getValue() % 7);
		return new WallClockSchedule(List.of(cron(check(time), "* * " + dow, zone)), zone,
				"weekly on " + day + " at " + format(time));
	}

	static WallClockSchedule monthly(int day, LocalTime time, ZoneId zone) {
		if (day < 1 || day > 31) {
			throw new IllegalArgumentException("day of month must be between 1 and 31, was " + day);
		}
		return new WallClockSchedule(List.of(cron(check(time), day + " * *", zone)), zone,
				"monthly on day " + day + " at " + format(time));
	}

	private static LocalTime check(LocalTime time) {
		Objects.requireNonNull(time, "time must not be null");
		if (time.getNano() != 0) {
			throw new IllegalArgumentException("time must be in whole seconds, was " + time);
		}
		return time;
	}

	private static CronSchedule cron(LocalTime time, String days, ZoneId zone) {
		Objects.requireNonNull(zone, "zone must not be null");
		String expression = time.getSecond() + " " + time.getMinute() + " " + time.getHour() + " " + days;
		return new CronSchedule(CronExpression.parse(expression), zone);
	}

	private static String format(LocalTime time) {
		return (time.getSecond() != 0) ? time.toString() : String.format("%02d:%02d", time.getHour(), time.getMinute());
	}

	@Override
	public Optional<Instant> next(Instant after) {
		Instant next = null;
		for (CronSchedule time : this.times) {
			Instant candidate = time.next(after).orElse(null);
			if (candidate != null && (next == null || candidate.isBefore(next))) {
				next = candidate;
			}
		}
		return Optional.ofNullable(next);
	}

	@Override
	public ZoneId zone() {
		return this.zone;
	}

	@Override
	public boolean equals(Object obj) {
		return (this == obj) || (obj instanceof WallClockSchedule other && this.times.equals(other.times));
	}

	@Override
	public int hashCode() {
		return this.times.hashCode();
	}

	/**
	 * Describes the schedule, such as {@code daily at 10:30, 14:45} or
	 * {@code weekly on MONDAY at 09:00}; the zone is told by {@link #zone()}.
	 */
	@Override
	public String toString() {
		return this.description;
	}

}
