package io.tickwork.schedule;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link CronExpression} and the cron {@link Schedule}.
 */
class CronScheduleTests {

	private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

	private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

	static Stream<Arguments> oracleTable() throws Exception {
		List<Arguments> rows = new ArrayList<>();
		try (BufferedReader reader = new BufferedReader(new InputStreamReader(
				Objects.requireNonNull(CronScheduleTests.class.getResourceAsStream("/cron/cron-fire-times.csv")),
				StandardCharsets.UTF_8))) {
			String line;
			while ((line = reader.readLine()) != null) {
				if (!line.startsWith("#") && !line.isBlank()) {
					String[] parts = line.split(";");
					rows.add(Arguments.of(parts[0], parts[1], parts[2], Arrays.asList(parts[3].split(" "))));
				}
			}
		}
		return rows.stream();
	}

	@ParameterizedTest(name = "{0} in {1} after {2}")
	@MethodSource("oracleTable")
	void firesAtTheTimesTheBruteForceOracleComputed(String expression, String zone, String after,
			List<String> expected) {
		assertThat(fires(Schedule.cron(expression, ZoneId.of(zone)), Instant.parse(after), expected.size()))
			.containsExactlyElementsOf(expected);
	}

	@Test
	void fixedTimeJobInSpringForwardGapFiresOnceAtTheEndOfTheGap() {
		// 2026-03-08 02:00 EST jumps to 03:00 EDT: 02:30 does not exist
		assertThat(fires(Schedule.cron("30 2 * * *", NEW_YORK), Instant.parse("2026-03-07T12:00:00Z"), 2))
			.containsExactly("2026-03-08T07:00:00Z", "2026-03-09T06:30:00Z");
		// 2026-03-29 02:00 CET jumps to 03:00 CEST
		assertThat(fires(Schedule.cron("30 2 * * *", BERLIN), Instant.parse("2026-03-28T12:00:00Z"), 2))
			.containsExactly("2026-03-29T01:00:00Z", "2026-03-30T00:30:00Z");
	}

	@Test
	void fixedTimeJobFiresOnlyOnceInARepeatedHour() {
		// 2026-11-01 02:00 EDT falls back to 01:00 EST: 01:30 happens twice
		assertThat(fires(Schedule.cron("30 1 * * *", NEW_YORK), Instant.parse("2026-10-31T12:00:00Z"), 2))
			.containsExactly("2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z");
		// 2026-10-25 03:00 CEST falls back to 02:00 CET: 02:30 happens twice
		assertThat(fires(Schedule.cron("30 2 * * *", BERLIN), Instant.parse("2026-10-24T12:00:00Z"), 2))
			.containsExactly("2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z");
	}

	@Test
	void wildcardJobFiresInBothCopiesOfARepeatedHour() {
		assertThat(fires(Schedule.cron("30 * * * *", NEW_YORK), Instant.parse("2026-11-01T04:00:00Z"), 3))
			.containsExactly("2026-11-01T04:30:00Z", "2026-11-01T05:30:00Z", "2026-11-01T06:30:00Z");
		assertThat(fires(Schedule.cron("*/30 * * * *", BERLIN), Instant.parse("2026-10-25T00:15:00Z"), 3))
			.containsExactly("2026-10-25T00:30:00Z", "2026-10-25T01:00:00Z", "2026-10-25T01:30:00Z");
	}

	@Test
	void wildcardSlotsInsideAGapAreSkippedAndTheJobRunsOnTheNewTime() {
		assertThat(fires(Schedule.cron("*/15 * * * *", NEW_YORK), Instant.parse("2026-03-08T06:45:00Z"), 2))
			.containsExactly("2026-03-08T07:00:00Z", "2026-03-08T07:15:00Z");
		// 02:30 CET does not exist: the next fire is 03:30 CEST
		assertThat(fires(Schedule.cron("30 * * * *", BERLIN), Instant.parse("2026-03-29T00:30:00Z"), 2))
			.containsExactly("2026-03-29T01:30:00Z", "2026-03-29T02:30:00Z");
	}

	@Test
	void dayOfMonthAndDayOfWeekMatchEitherWhenBothAreRestricted() {
		// Friday the 13th in Vixie cron means every 13th and every Friday
		assertThat(fires(Schedule.cron("0 0 13 * FRI", ZoneOffset.UTC), Instant.parse("2026-02-01T00:00:00Z"), 4))
			.containsExactly("2026-02-06T00:00:00Z", "2026-02-13T00:00:00Z", "2026-02-20T00:00:00Z",
					"2026-02-27T00:00:00Z");
		assertThat(fires(Schedule.cron("0 0 10 * TUE", ZoneOffset.UTC), Instant.parse("2026-02-01T00:00:00Z"), 3))
			.containsExactly("2026-02-03T00:00:00Z", "2026-02-10T00:00:00Z", "2026-02-17T00:00:00Z");
	}

	@Test
	void aDayFieldStartingWithAStarStillRestrictsButCombinesWithAnd() {
		// */2 starts with '*': odd days that are also Mondays
		assertThat(fires(Schedule.cron("0 0 */2 * MON", ZoneOffset.UTC), Instant.parse("2026-01-01T00:00:00Z"), 3))
			.containsExactly("2026-01-05T00:00:00Z", "2026-01-19T00:00:00Z", "2026-02-09T00:00:00Z");
	}

	@Test
	void namesAreCaseInsensitiveAndSevenIsSunday() {
		Instant after = Instant.parse("2026-01-01T00:00:00Z");
		List<String> sundays = fires(Schedule.cron("0 12 * jan sun", ZoneOffset.UTC), after, 4);
		assertThat(fires(Schedule.cron("0 12 * 1 7", ZoneOffset.UTC), after, 4)).isEqualTo(sundays);
		assertThat(fires(Schedule.cron("0 12 * JAN 0", ZoneOffset.UTC), after, 4)).isEqualTo(sundays);
		assertThat(sundays).containsExactly("2026-01-04T12:00:00Z", "2026-01-11T12:00:00Z", "2026-01-18T12:00:00Z",
				"2026-01-25T12:00:00Z");
	}

	@Test
	void sixFieldExpressionsStartWithSeconds() {
		assertThat(fires(Schedule.cron("*/20 * * * * *", ZoneOffset.UTC), Instant.parse("2026-01-01T00:00:05Z"), 3))
			.containsExactly("2026-01-01T00:00:20Z", "2026-01-01T00:00:40Z", "2026-01-01T00:01:00Z");
	}

	@Test
	void nextIsStrictlyAfterTheGivenInstantEvenWithinTheSameSecond() {
		Schedule schedule = Schedule.cron("* * * * * *", ZoneOffset.UTC);
		assertThat(schedule.next(Instant.parse("2026-01-01T00:00:00Z"))).contains(Instant.parse("2026-01-01T00:00:01Z"));
		assertThat(schedule.next(Instant.parse("2026-01-01T00:00:00.999Z")))
			.contains(Instant.parse("2026-01-01T00:00:01Z"));
	}

	@Test
	void farFutureAndLeapDayExpressionsStillFind() {
		assertThat(fires(Schedule.cron("0 0 29 2 MON", ZoneOffset.UTC), Instant.parse("2026-01-01T00:00:00Z"), 1))
			.containsExactly("2026-02-02T00:00:00Z");
		assertThat(fires(Schedule.cron("0 0 29 2 *", ZoneOffset.UTC), Instant.parse("2096-03-01T00:00:00Z"), 1))
			.containsExactly("2104-02-29T00:00:00Z");
	}

	@Test
	void macrosExpandToTheirCronEquivalents() {
		Instant after = Instant.parse("2026-05-17T10:11:12Z");
		assertThat(fires(Schedule.cron("@hourly", ZoneOffset.UTC), after, 3))
			.isEqualTo(fires(Schedule.cron("0 * * * *", ZoneOffset.UTC), after, 3));
		assertThat(fires(Schedule.cron("@WEEKLY", ZoneOffset.UTC), after, 3))
			.isEqualTo(fires(Schedule.cron("0 0 * * 0", ZoneOffset.UTC), after, 3));
		assertThat(Schedule.cron("@daily", ZoneOffset.UTC)).hasToString("cron @daily");
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			0 0 30 2 *         | no date ever matches
			0 0 31 4,6,9,11 *  | no date ever matches
			0 0 30 2 ?         | no date ever matches
			0 0 31W 2 *        | no date ever matches
			61 0 * * *         | minute field '61': value 61 is out of range 0-59
			0 0 24 * * *       | hour field '24': value 24 is out of range 0-23
			0 0 0 * *          | day-of-month field '0': value 0 is out of range 1-31
			0 0 1 13 *         | month field '13': value 13 is out of range 1-12
			0 0 * * 8          | day-of-week field '8': value 8 is out of range 0-7
			0 0 * FOO *        | month field 'FOO': unknown name 'FOO'
			0 0 * * MON-FOO    | day-of-week field 'MON-FOO': unknown name 'FOO'
			*/0 * * * *        | minute field '*/0': step 0 in '*/0' must be at least 1
			0 20-10 * * *      | hour field '20-10': range 20-10 starts after it ends
			0 0 * * FRI-MON    | day-of-week field 'FRI-MON': range FRI-MON starts after it ends
			0 0 1,,2 * *       | day-of-month field '1,,2': empty list element
			0 0 * * * * *      | has 7 fields; expected 5
			0 0 * *            | has 4 fields; expected 5
			@reboot            | unknown macro '@reboot'
			0 0 L-31 * *       | day-of-month field 'L-31': offset 31 in 'L-31' is out of range 0-30
			0 0 32W * *        | day-of-month field '32W': value 32 is out of range 1-31
			0 0 * * MON#6      | day-of-week field 'MON#6': occurrence 6 in 'MON#6' is out of range 1-5
			0 0 * * L          | day-of-week field 'L': 'L' alone is ambiguous
			0 0 ?,1 * *        | day-of-month field '?,1': '?' must stand alone
			x 0 * * *          | minute field 'x': 'x' is not a valid value
			0 ? * * *          | hour field '?': '?' is not a valid value
			0 0 * * mon-foo    | day-of-week field 'mon-foo': unknown name 'foo'
			""")
	void invalidExpressionsNameTheFieldAndTheValue(String expression, String message) {
		assertThatIllegalArgumentException().isThrownBy(() -> CronExpression.parse(expression))
			.isInstanceOf(InvalidCronExpressionException.class)
			.withMessageStartingWith("Invalid cron expression '" + expression + "'")
			.withMessageContaining(message);
	}

	@Test
	void emptyExpressionIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> CronExpression.parse("  "))
			.withMessageContaining("must not be empty");
	}

	@Test
	void wildcardTimeIsDecidedByTheMinuteAndHourFields() {
		assertThat(CronExpression.parse("*/5 * * * *").isWildcardTime()).isTrue();
		assertThat(CronExpression.parse("0 * * * *").isWildcardTime()).isTrue();
		assertThat(CronExpression.parse("0 9-17 * * *").isWildcardTime()).isFalse();
		assertThat(CronExpression.parse("*/10 30 1 * * *").isWildcardTime()).isFalse();
	}

	/**
	 * Spring's {@code CronExpression} requires both day fields to match, which is what
	 * Vixie cron does too whenever one of them starts with {@code *} or {@code ?}; so
	 * the two must agree on such expressions, in zones without daylight saving.
	 */
	@Test
	void agreesWithSpringCronExpressionWhereTheSemanticsCoincide() {
		String[] seconds = { "0", "*/15", "5,35", "10-20", "*", "30" };
		String[] minutes = { "0", "*/5", "15,45", "0-30/10", "*", "59" };
		String[] hours = { "*", "9", "*/6", "8-17", "0,12", "23" };
		String[] daysOfMonth = { "*", "?", "1", "15", "L", "L-3", "LW", "15W", "1-10", "*/7", "31", "1W" };
		String[] monthsOf = { "*", "JAN", "1-6", "*/3", "FEB,AUG", "12" };
		String[] daysOfWeek = { "*", "?", "MON", "MON-FRI", "5L", "2#2", "SUN,SAT", "0", "7", "FRI#1" };
		ZoneId[] zones = { ZoneOffset.UTC, ZoneId.of("Asia/Tokyo"), ZoneOffset.ofHours(-5) };
		Random random = new Random(20261122);
		int compared = 0;
		for (int i = 0; i < 1500; i++) {
			String dom = pick(random, daysOfMonth);
			String dow = pick(random, daysOfWeek);
			if (!dom.startsWith("*") && !dom.startsWith("?") && !dow.startsWith("*") && !dow.startsWith("?")) {
				continue;
			}
			if (dom.equals("?") && dow.equals("?")) {
				continue;
			}
			String expression = String.join(" ", pick(random, seconds), pick(random, minutes), pick(random, hours), dom,
					pick(random, monthsOf), dow);
			Schedule ours;
			try {
				ours = Schedule.cron(expression, ZoneOffset.UTC);
			}
			catch (InvalidCronExpressionException ex) {
				continue;
			}
			ZoneId zone = zones[random.nextInt(zones.length)];
			ours = Schedule.cron(expression, zone);
			org.springframework.scheduling.support.CronExpression spring = org.springframework.scheduling.support.CronExpression
				.parse(expression);
			ZonedDateTime time = LocalDateTime.of(2020 + random.nextInt(10), 1 + random.nextInt(12),
					1 + random.nextInt(28), random.nextInt(24), random.nextInt(60), random.nextInt(60))
				.atZone(zone);
			for (int n = 0; n < 5; n++) {
				ZonedDateTime expected = spring.next(time);
				Instant actual = ours.next(time.toInstant()).orElse(null);
				assertThat(actual).as("%s in %s after %s", expression, zone, time)
					.isEqualTo((expected != null) ? expected.toInstant() : null);
				if (expected == null) {
					break;
				}
				time = expected;
				compared++;
			}
		}
		assertThat(compared).isGreaterThan(3000);
	}

	private static String pick(Random random, String[] values) {
		return values[random.nextInt(values.length)];
	}

	static List<String> fires(Schedule schedule, Instant after, int count) {
		List<String> result = new ArrayList<>();
		Instant cursor = after;
		for (int i = 0; i < count; i++) {
			Instant next = schedule.next(cursor).orElseThrow();
			assertThat(next).isAfter(cursor);
			result.add(next.toString());
			cursor = next;
		}
		return result;
	}

}
