package io.tickwork.schedule;

import java.time.Instant;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks {@link CronSchedule#next(Instant)} around daylight-saving transitions against a
 * brute-force oracle that replays cronie's main loop: it wakes at every minute of real
 * time, compares the local minute with its virtual clock and runs the jobs the way
 * cronie's four cases do (late wake-up, jump forward, jump backward, clock change). It
 * shares nothing with the implementation but the field matching of
 * {@link CronExpression}.
 */
class CronDaylightSavingTests {

	private static final String[] ZONES = { "America/New_York", "Europe/Berlin", "Europe/London",
			"America/Sao_Paulo", "Australia/Lord_Howe", "Asia/Tehran", "Pacific/Chatham" };

	private static final String[] MINUTES = { "*", "*/7", "*/15", "0", "30", "45", "15,45", "0-10", "59", "*/20",
			"1-59/2" };

	private static final String[] HOURS = { "*", "*/2", "0", "1", "2", "3", "23", "1,2", "2-4", "0-3", "1-3/2", "*/3" };

	private static final String[] DAYS = { "* * *", "* * *", "* * *", "* * SUN", "1-15 * *", "* * 0-5" };

	@Test
	void nextIsTheFirstFireCronieRunsAfterAnyInstantNearATransition() {
		SplittableRandom random = new SplittableRandom(20261203);
		List<String> failures = new ArrayList<>();
		int cases = 6000;
		for (int i = 0; i < cases; i++) {
			String expression = MINUTES[random.nextInt(MINUTES.length)] + " " + HOURS[random.nextInt(HOURS.length)]
					+ " " + DAYS[random.nextInt(DAYS.length)];
			ZoneId zone = ZoneId.of(ZONES[random.nextInt(ZONES.length)]);
			Instant after = nearATransition(zone.getRules(), random);
			CronExpression cron = CronExpression.parse(expression);
			Optional<Instant> expected = new Cronie(cron, zone).firstFireAfter(after, 8 * 24 * 60);
			Optional<Instant> actual = Schedule.cron(expression, zone).next(after);
			if (expected.isPresent() ? !actual.equals(expected) : actual.filter(
					(next) -> next.isBefore(after.plusSeconds(8 * 24 * 3600 - 3600))).isPresent()) {
				failures.add("'" + expression + "' in " + zone + " after " + after + " ("
						+ after.atZone(zone).toLocalDateTime() + "): expected " + expected + ", was " + actual);
			}
		}
		assertThat(failures).as("%d of %d cases", failures.size(), cases).isEmpty();
	}

	@Test
	void theIssuesCasesFollowCronie() {
		ZoneId newYork = ZoneId.of("America/New_York");
		// fixed time, from the last instant before the gap: that day's fire comes at 03:00
		assertThat(Schedule.cron("0 2 * * *", newYork).next(Instant.parse("2007-03-11T06:59:59.999Z")))
			.contains(Instant.parse("2007-03-11T07:00:00Z"));
		// wildcard minute: 02:45 does not exist, the job runs on the new time
		assertThat(Schedule.cron("45 * * * *", newYork).next(Instant.parse("2007-03-11T06:58:00.999Z")))
			.contains(Instant.parse("2007-03-11T07:45:00Z"));
		assertThat(Schedule.cron("45 * * * *", newYork).next(Instant.parse("2007-03-11T06:59:59.999Z")))
			.contains(Instant.parse("2007-03-11T07:45:00Z"));
		// wildcard job in the gap hour: not at all that day
		assertThat(Schedule.cron("* 2 * * *", newYork).next(Instant.parse("2025-03-09T06:59:00Z")))
			.contains(Instant.parse("2025-03-10T06:00:00Z"));
	}

	/** An instant within three hours of one of the zone's transitions, mostly between 1990 and 2035. */
	private static Instant nearATransition(ZoneRules rules, SplittableRandom random) {
		long from = Instant.parse("1990-01-01T00:00:00Z").getEpochSecond();
		long to = Instant.parse("2035-01-01T00:00:00Z").getEpochSecond();
		Instant instant = Instant.ofEpochSecond(random.nextLong(from, to));
		ZoneOffsetTransition transition = rules.nextTransition(instant);
		if (transition == null) {
			// Tehran keeps one offset since 2022
			transition = rules.previousTransition(instant);
		}
		long at = transition.toEpochSecond();
		return switch (random.nextInt(4)) {
			case 0 -> Instant.ofEpochSecond(at - 1, 999_000_000);
			case 1 -> Instant.ofEpochSecond(at - 60 * random.nextInt(1, 180), 999_000_000);
			case 2 -> Instant.ofEpochSecond(at + random.nextLong(-3 * 3600, 3 * 3600));
			default -> Instant.ofEpochSecond(at + random.nextLong(-3 * 3600, 3 * 3600), random.nextInt(1_000_000_000));
		};
	}

	/** cronie's main loop, woken at the start of every minute of real time. */
	private static final class Cronie {

		private final CronExpression cron;

		private final ZoneRules rules;

		private final boolean wildcard;

		Cronie(CronExpression cron, ZoneId zone) {
			this.cron = cron;
			this.rules = zone.getRules();
			this.wildcard = cron.isWildcardTime();
		}

		/** The first minute after {@code after} at which cronie runs the job, within a bound. */
		Optional<Instant> firstFireAfter(Instant after, int maxMinutes) {
			long minute = Math.floorDiv(after.getEpochSecond(), 60) - 6 * 60;
			// start where no transition is in sight, so that the virtual clock is settled
			while (this.rules.getOffset(Instant.ofEpochSecond(minute * 60))
				.equals(this.rules.getOffset(Instant.ofEpochSecond(minute * 60 - 4 * 3600))) == false) {
				minute -= 60;
			}
			long virtual = localMinute(minute);
			for (long wake = minute + 1; wake < minute + maxMinutes; wake++) {
				long running = localMinute(wake);
				long diff = running - virtual;
				boolean fires = false;
				if (diff == 1) {
					virtual = running;
					fires = matches(running);
				}
				else if (diff > 0 && diff <= 5) {
					// woke up late: every job of each virtual minute until caught up
					while (virtual < running) {
						virtual++;
						fires |= matches(virtual);
					}
				}
				else if (diff > 5 && diff <= 180) {
					// jumped forward: wildcard jobs of the new time, fixed-time jobs of each minute missed
					fires = this.wildcard && matches(running);
					while (virtual < running) {
						virtual++;
						fires |= !this.wildcard && matches(virtual);
					}
				}
				else if (diff > -180 && diff <= 0) {
					// jumped backward: wildcard jobs only, the virtual clock waits
					fires = this.wildcard && matches(running);
				}
				else {
					virtual = running;
					fires = matches(running);
				}
				Instant at = Instant.ofEpochSecond(wake * 60);
				if (fires && at.isAfter(after)) {
					return Optional.of(at);
				}
			}
			return Optional.empty();
		}

		private long localMinute(long utcMinute) {
			long second = utcMinute * 60;
			return Math.floorDiv(second + this.rules.getOffset(Instant.ofEpochSecond(second)).getTotalSeconds(), 60);
		}

		private boolean matches(long localMinute) {
			return this.cron.nextLocal(localMinute * 60, localMinute * 60 + 1) == localMinute * 60;
		}

	}

}
