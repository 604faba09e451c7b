package io.tickwork.schedule;

import java.time.Duration;
import java.time.Instant;
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

}
