package io.tickwork.schedule;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for the interval, fixed-delay and one-time {@link Schedule}s.
 */
class ScheduleTests {

	@Test
	void everyIsAlignedToMultiplesOfTheIntervalSoAllInstancesAgree() {
		Schedule schedule = Schedule.every(Duration.ofSeconds(30));
		assertThat(schedule.next(Instant.parse("2026-01-01T10:00:07.250Z"))).contains(Instant.parse("2026-01-01T10:00:30Z"));
		assertThat(schedule.next(Instant.parse("2026-01-01T10:00:30Z"))).contains(Instant.parse("2026-01-01T10:01:00Z"));
		assertThat(schedule.first(Instant.parse("2026-01-01T10:00:29.999Z"))).contains(Instant.parse("2026-01-01T10:00:30Z"));
		assertThat(schedule.fromCompletion()).isFalse();
		assertThat(schedule).hasToString("every 30s");
	}

	@Test
	void eachJobTakesAPhaseFromItsNameSoJobsSharingAnIntervalAreSpread() {
		Schedule every = Schedule.every(Duration.ofSeconds(1));
		assertThat(every.forJob("report")).isEqualTo(Schedule.every(Duration.ofSeconds(1)).forJob("report"));
		java.util.Set<Long> phases = new java.util.HashSet<>();
		for (int i = 0; i < 1000; i++) {
			Instant next = every.forJob("job-" + i).next(Instant.parse("2026-01-01T10:00:00Z")).orElseThrow();
			assertThat(next).isAfter(Instant.parse("2026-01-01T10:00:00Z"))
				.isBeforeOrEqualTo(Instant.parse("2026-01-01T10:00:01Z"));
			phases.add(next.toEpochMilli() % 1000);
		}
		assertThat(phases).hasSizeGreaterThan(500);
	}

	@Test
	void anExplicitPhaseIsKept() {
		Schedule schedule = Schedule.every(Duration.ofSeconds(30), Duration.ofSeconds(5)).forJob("any");
		assertThat(schedule.next(Instant.parse("2026-01-01T10:00:07Z"))).contains(Instant.parse("2026-01-01T10:00:35Z"));
		assertThatIllegalArgumentException().isThrownBy(() -> Schedule.every(Duration.ofSeconds(30), Duration.ofSeconds(30)))
			.withMessageContaining("phase must be at least 0 and below the interval");
	}

	@Test
	void fixedDelayCountsFromCompletionAndStartsAtRegistration() {
		Schedule schedule = Schedule.fixedDelay(Duration.ofMinutes(1));
		Instant now = Instant.parse("2026-01-01T10:00:07Z");
		assertThat(schedule.first(now)).contains(now);
		assertThat(schedule.next(now)).contains(Instant.parse("2026-01-01T10:01:07Z"));
		assertThat(schedule.fromCompletion()).isTrue();
		assertThat(schedule).hasToString("every 1m after completion");
	}

	@Test
	void onceFiresOnceEvenWhenRegisteredLate() {
		Instant at = Instant.parse("2026-01-01T10:00:00Z");
		Schedule schedule = Schedule.once(at);
		assertThat(schedule.first(at.plusSeconds(5))).contains(at);
		assertThat(schedule.next(at.minusSeconds(1))).contains(at);
		assertThat(schedule.next(at)).isEmpty();
	}

	@Test
	void intervalsBelowOneMillisecondAreRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> Schedule.every(Duration.ZERO))
			.withMessage("interval must be at least 1ms, was PT0S");
		assertThatIllegalArgumentException().isThrownBy(() -> Schedule.fixedDelay(Duration.ofSeconds(-1)))
			.withMessageContaining("delay must be at least 1ms");
	}

	@Test
	void cronScheduleKnowsItsZone() {
		assertThat(Schedule.cron("0 9 * * MON", ZoneId.of("Europe/Paris")).zone()).isEqualTo(ZoneId.of("Europe/Paris"));
		assertThat(Schedule.every(Duration.ofSeconds(1)).zone()).isNull();
	}

	@Test
	void durationsAreFormattedInTheirLargestWholeUnit() {
		assertThat(Durations.format(Duration.ofMillis(250))).isEqualTo("250ms");
		assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("90s");
		assertThat(Durations.format(Duration.ofHours(2))).isEqualTo("2h");
		assertThat(Durations.format(Duration.ofDays(7))).isEqualTo("7d");
		assertThat(Durations.format(Duration.ofNanos(1500))).isEqualTo("PT0.0000015S");
	}

	@Test
	void dailyFiresAtEachTimeOfDayInItsZoneAndSaysSo() {
		ZoneId paris = ZoneId.of("Europe/Paris");
		Schedule daily = Schedule.daily(paris, LocalTime.of(14, 45), LocalTime.of(10, 30));
		assertThat(daily).hasToString("daily at 10:30, 14:45");
		assertThat(daily.zone()).isEqualTo(paris);
		Instant from = Instant.parse("2026-12-03T10:00:00Z");
		Instant first = daily.next(from).orElseThrow();
		Instant second = daily.next(first).orElseThrow();
		Instant third = daily.next(second).orElseThrow();
		assertThat(first).isEqualTo("2026-12-03T13:45:00Z");
		assertThat(second).isEqualTo("2026-12-04T09:30:00Z");
		assertThat(third).isEqualTo("2026-12-04T13:45:00Z");
		assertThat(Schedule.daily(ZoneId.of("UTC"), LocalTime.of(8, 0, 30))).hasToString("daily at 08:00:30");
	}

	@Test
	void dailyTimesAreExactUnderDaylightSavingAsFixedTimeCronIs() {
		ZoneId newYork = ZoneId.of("America/New_York");
		Schedule daily = Schedule.daily(newYork, LocalTime.of(2, 30));
		// 2026-03-08 02:30 does not exist: the fire comes right after the gap, at 03:00 EDT
		assertThat(daily.next(Instant.parse("2026-03-07T12:00:00Z"))).contains(Instant.parse("2026-03-08T07:00:00Z"));
		// 2026-11-01 01:30 happens twice: one fire
		Schedule early = Schedule.daily(newYork, LocalTime.of(1, 30));
		Instant first = early.next(Instant.parse("2026-11-01T04:00:00Z")).orElseThrow();
		assertThat(first).isEqualTo("2026-11-01T05:30:00Z");
		assertThat(early.next(first)).contains(Instant.parse("2026-11-02T06:30:00Z"));
	}

	@Test
	void weeklyAndMonthlyFireOnTheirDay() {
		ZoneId utc = ZoneId.of("UTC");
		Schedule weekly = Schedule.weekly(DayOfWeek.MONDAY, LocalTime.of(9, 0), utc);
		assertThat(weekly).hasToString("weekly on MONDAY at 09:00");
		assertThat(weekly.next(Instant.parse("2026-12-03T00:00:00Z"))).contains(Instant.parse("2026-12-07T09:00:00Z"));
		assertThat(Schedule.weekly(DayOfWeek.SUNDAY, LocalTime.of(9, 0), utc).next(Instant.parse("2026-12-03T00:00:00Z")))
			.contains(Instant.parse("2026-12-06T09:00:00Z"));
		Schedule monthly = Schedule.monthly(31, LocalTime.of(6, 15), utc);
		assertThat(monthly).hasToString("monthly on day 31 at 06:15");
		// November has no 31st
		assertThat(monthly.next(Instant.parse("2026-11-01T00:00:00Z"))).contains(Instant.parse("2026-12-31T06:15:00Z"));
	}

	@Test
	void wallClockHelpersRefuseWhatTheyCannotHonour() {
		ZoneId utc = ZoneId.of("UTC");
		assertThatIllegalArgumentException().isThrownBy(() -> Schedule.daily(utc))
			.withMessage("daily needs at least one time of day");
		assertThatIllegalArgumentException().isThrownBy(() -> Schedule.monthly(32, LocalTime.NOON, utc))
			.withMessage("day of month must be between 1 and 31, was 32");
		assertThatIllegalArgumentException().isThrownBy(() -> Schedule.daily(utc, LocalTime.of(9, 0, 0, 5)))
			.withMessage("time must be in whole seconds, was 09:00:00.000000005");
	}

}
