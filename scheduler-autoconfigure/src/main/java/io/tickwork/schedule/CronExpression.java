package io.tickwork.schedule;

import java.util.Locale;
import java.util.Map;

/**
 * A parsed cron expression with Unix (Vixie cron) semantics, matched on local date-times
 * with bitsets. Immutable and thread-safe.
 * <p>
 * Five fields ({@code minute hour day-of-month month day-of-week}) or six (a
 * {@code second} field first), told apart by their count, or a macro:
 * {@code @yearly}/{@code @annually}, {@code @monthly}, {@code @weekly},
 * {@code @daily}/{@code @midnight}, {@code @hourly}. Fields take {@code *}, values,
 * names ({@code JAN}-{@code DEC}, {@code SUN}-{@code SAT}, any case), ranges
 * {@code a-b}, steps {@code * /n}, {@code a/n}, {@code a-b/n} and lists. Day-of-week
 * takes {@code 0}-{@code 7} (both 0 and 7 are Sunday). {@code ?} stands for {@code *}
 * in the day fields. Day-of-month also takes {@code L} (last day), {@code L-n},
 * {@code LW} (last weekday) and {@code nW} (weekday nearest to day n, within the
 * month); day-of-week takes {@code dL} (last weekday d of the month) and {@code d#n}
 * (n-th weekday d).
 * <p>
 * Day-of-month and day-of-week combine as in Vixie cron: when either field starts with
 * {@code *} (or {@code ?}), a day must match both; otherwise a day matches if it
 * matches either.
 *
 * @author Tickwork team
 * @since 0.1.0
 */
public final class CronExpression {

	private static final Map<String, String> MACROS = Map.of("@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *",
			"@monthly", "0 0 1 * *", "@weekly", "0 0 * * 0", "@daily", "0 0 * * *", "@midnight", "0 0 * * *",
			"@hourly", "0 * * * *");

	private static final String[] MONTH_NAMES = { "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP",
			"OCT", "NOV", "DEC" };

	private static final String[] DAY_NAMES = { "SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT" };

	private static final int LAST_OFFSET = 1 << 16;

	private static final int LAST_WEEKDAY = 2 << 16;

	private static final int NEAREST_WEEKDAY = 3 << 16;

	private static final int LAST_OF_WEEK = 1 << 16;

	private static final int NTH_OF_WEEK = 2 << 16;

	private static final int KIND = 0xFFFF0000;

	/** A 400-year Gregorian cycle repeats weekdays exactly; any match recurs within it. */
	private static final long SEARCH_LIMIT_SECONDS = 401L * 366 * 86400;

	private final String expression;

	private final long seconds;

	private final long minutes;

	private final int hours;

	private final int daysOfMonth;

	private final int months;

	private final int daysOfWeek;

	private final int[] domSpecials;

	private final int[] dowSpecials;

	private final boolean dayFieldsAnded;

	private final boolean wildcardTime;

	private final int[] weekPatterns = new int[7];

	/** Racy single-entry cache of the last month's day mask; safe because immutable. */
	private MonthMask monthCache = new MonthMask(Long.MIN_VALUE, 0);

	private CronExpression(String expression, String[] fields) {
		this.expression = expression;
		boolean six = fields.length == 6;
		int i = 0;
		this.seconds = six ? parseTimeField(fields[i++], "second", 0, 59) : 1L;
		String minuteField = fields[i++];
		String hourField = fields[i++];
		String domField = fields[i++];
		String monthField = fields[i++];
		String dowField = fields[i];
		this.minutes = parseTimeField(minuteField, "minute", 0, 59);
		this.hours = (int) parseTimeField(hourField, "hour", 0, 23);
		this.months = (int) new FieldParser(monthField, "month", 1, 12, MONTH_NAMES, 1).parse(false).bits;
		FieldParser dom = new FieldParser(domField, "day-of-month", 1, 31, null, 0).parse(true);
		this.daysOfMonth = (int) dom.bits;
		this.domSpecials = dom.specials();
		FieldParser dow = new FieldParser(dowField, "day-of-week", 0, 7, DAY_NAMES, 0).parse(true);
		long dowBits = dow.bits;
		if ((dowBits & (1L << 7)) != 0) {
			dowBits = (dowBits | 1L) & 0x7F;
		}
		this.daysOfWeek = (int) dowBits;
		this.dowSpecials = dow.specials();
		this.dayFieldsAnded = startsUnrestricted(domField) || startsUnrestricted(dowField);
		this.wildcardTime = minuteField.startsWith("*") || hourField.startsWith("*");
		for (int first = 0; first < 7; first++) {
			int pattern = 0;
			for (int day = 1; day <= 31; day++) {
				if ((this.daysOfWeek & (1 << ((first + day - 1) % 7))) != 0) {
					pattern |= 1 << day;
				}
			}
			this.weekPatterns[first] = pattern;
		}
		checkSatisfiable();
	}

	/**
	 * Parses a cron expression.
	 * @param expression the expression, such as {@code 0 9 * * MON-FRI}
	 * @return the parsed expression
	 * @throws InvalidCronExpressionException if the expression is not valid or can never
	 * fire, naming the field and value in error
	 */
	public static CronExpression parse(String expression) {
		if (expression == null || expression.isBlank()) {
			throw new InvalidCronExpressionException(String.valueOf(expression), null, null, "must not be empty");
		}
		String text = expression.trim();
		if (text.startsWith("@")) {
			String expanded = MACROS.get(text.toLowerCase(Locale.ROOT));
			if (expanded == null) {
				throw new InvalidCronExpressionException(expression, null, null, "unknown macro '" + text
						+ "'; supported are @yearly, @annually, @monthly, @weekly, @daily, @midnight and @hourly");
			}
			return new CronExpression(text, expanded.split(" "));
		}
		String[] fields = text.split("\\s+");
		if (fields.length != 5 && fields.length != 6) {
			throw new InvalidCronExpressionException(expression, null, null, "has " + fields.length
					+ " fields; expected 5 (minute hour day-of-month month day-of-week) or 6 (a second field first)");
		}
		return new CronExpression(text, fields);
	}

	/**
	 * Whether the minute or hour field starts with {@code *}: such a job follows elapsed
	 * time across daylight-saving changes, while a fixed-time job fires once a day.
	 * @return whether this is a wildcard-time expression
	 */
	public boolean isWildcardTime() {
		return this.wildcardTime;
	}

	/**
	 * The expression as written (trimmed).
	 * @return the expression
	 */
	@Override
	public String toString() {
		return this.expression;
	}

	@Override
	public boolean equals(Object obj) {
		return (this == obj) || (obj instanceof CronExpression other && this.expression.equals(other.expression));
	}

	@Override
	public int hashCode() {
		return this.expression.hashCode();
	}

	/**
	 * Finds the first matching local date-time in {@code [from, until)}, both given in
	 * seconds since 1970-01-01T00:00 of the local timeline.
	 * @param from first local second to consider
	 * @param until first local second not to consider
	 * @return the matching local second, or {@link Long#MAX_VALUE} if none
	 */
	long nextLocal(long from, long until) {
		long limit = Math.min(until, from + SEARCH_LIMIT_SECONDS);
		long epochDay = Math.floorDiv(from, 86400);
		int secondOfDay = (int) Math.floorMod(from, 86400);
		long ymd = civil(epochDay);
		int year = (int) (ymd >> 16);
		int month = (int) ((ymd >> 8) & 0xFF);
		int day = (int) (ymd & 0xFF);
		int hour = secondOfDay / 3600;
		int minute = (secondOfDay / 60) % 60;
		int second = secondOfDay % 60;
		int limitYear = (int) (civil(Math.floorDiv(limit, 86400)) >> 16) + 1;
		while (true) {
			if ((this.months & (1 << month)) == 0) {
				int next = nextBit(this.months, month + 1);
				if (next < 0) {
					year++;
					next = Integer.numberOfTrailingZeros(this.months);
				}
				month = next;
				day = 1;
				hour = minute = second = 0;
				if (year > limitYear) {
					return Long.MAX_VALUE;
				}
				continue;
			}
			int days = (day > 31) ? 0 : dayMask(year, month) & (-1 << day);
			if (days == 0) {
				if (++month > 12) {
					month = 1;
					if (++year > limitYear) {
						return Long.MAX_VALUE;
					}
				}
				day = 1;
				hour = minute = second = 0;
				continue;
			}
			int nextDay = Integer.numberOfTrailingZeros(days);
			if (nextDay != day) {
				day = nextDay;
				hour = minute = second = 0;
			}
			int nextHour = nextBit(this.hours, hour);
			if (nextHour < 0) {
				day++;
				hour = minute = second = 0;
				continue;
			}
			if (nextHour != hour) {
				hour = nextHour;
				minute = second = 0;
			}
			int nextMinute = nextBit(this.minutes, minute);
			if (nextMinute < 0) {
				hour++;
				minute = second = 0;
				continue;
			}
			if (nextMinute != minute) {
				minute = nextMinute;
				second = 0;
			}
			int nextSecond = nextBit(this.seconds, second);
			if (nextSecond < 0) {
				minute++;
				second = 0;
				continue;
			}
			long result = epochDay(year, month, day) * 86400 + hour * 3600L + minute * 60L + nextSecond;
			return (result < limit) ? result : Long.MAX_VALUE;
		}
	}

	private int dayMask(int year, int month) {
		long key = ((long) year << 4) | month;
		MonthMask cached = this.monthCache;
		if (cached.key == key) {
			return cached.mask;
		}
		int mask = computeDayMask(year, month);
		this.monthCache = new MonthMask(key, mask);
		return mask;
	}

	private int computeDayMask(int year, int month) {
		int length = monthLength(year, month);
		int valid = (int) ((1L << (length + 1)) - 2);
		int firstDow = (int) Math.floorMod(epochDay(year, month, 1) + 4, 7);
		int lastDow = (firstDow + length - 1) % 7;
		int dom = this.daysOfMonth & valid;
		for (int special : this.domSpecials) {
			int arg = special & 0xFFFF;
			int day = switch (special & KIND) {
				case LAST_OFFSET -> length - arg;
				case LAST_WEEKDAY -> (lastDow == 6) ? length - 1 : (lastDow == 0) ? length - 2 : length;
				default -> nearestWeekday(arg, length, (firstDow + arg - 1) % 7);
			};
			if (day >= 1 && day <= length) {
				dom |= 1 << day;
			}
		}
		int dow = this.weekPatterns[firstDow] & valid;
		for (int special : this.dowSpecials) {
			int weekday = special & 0xFF;
			int day;
			if ((special & KIND) == LAST_OF_WEEK) {
				day = length - ((lastDow - weekday + 7) % 7);
			}
			else {
				int nth = (special >> 8) & 0xFF;
				day = 1 + ((weekday - firstDow + 7) % 7) + 7 * (nth - 1);
			}
			if (day >= 1 && day <= length) {
				dow |= 1 << day;
			}
		}
		return this.dayFieldsAnded ? (dom & dow) : (dom | dow);
	}

	private static int nearestWeekday(int day, int length, int dayOfWeek) {
		if (day > length) {
			return 0;
		}
		if (dayOfWeek == 6) {
			return (day == 1) ? 3 : day - 1;
		}
		if (dayOfWeek == 0) {
			return (day == length) ? day - 2 : day + 1;
		}
		return day;
	}

	private void checkSatisfiable() {
		for (int year = 2000; year < 2400; year++) {
			for (int month = 1; month <= 12; month++) {
				if ((this.months & (1 << month)) != 0 && computeDayMask(year, month) != 0) {
					return;
				}
			}
		}
		throw new InvalidCronExpressionException(this.expression, null, null,
				"no date ever matches its day-of-month, month and day-of-week fields");
	}

	private static int nextBit(long bits, int from) {
		if (from >= 64) {
			return -1;
		}
		long rest = bits & (-1L << from);
		return (rest != 0) ? Long.numberOfTrailingZeros(rest) : -1;
	}

	static int monthLength(int year, int month) {
		return switch (month) {
			case 2 -> isLeap(year) ? 29 : 28;
			case 4, 6, 9, 11 -> 30;
			default -> 31;
		};
	}

	private static boolean isLeap(int year) {
		return (year & 3) == 0 && (year % 100 != 0 || year % 400 == 0);
	}

	/** Days since 1970-01-01 of a proleptic Gregorian date (after H. Hinnant). */
	static long epochDay(int year, int month, int day) {
		long y = (month <= 2) ? year - 1 : year;
		long era = Math.floorDiv(y, 400);
		long yearOfEra = y - era * 400;
		long dayOfYear = (153L * (month + ((month > 2) ? -3 : 9)) + 2) / 5 + day - 1;
		long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
		return era * 146097 + dayOfEra - 719468;
	}

	/** Year, month and day of an epoch day, packed as {@code year << 16 | month << 8 | day}. */
	static long civil(long epochDay) {
		long z = epochDay + 719468;
		long era = Math.floorDiv(z, 146097);
		long dayOfEra = z - era * 146097;
		long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365;
		long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
		long mp = (5 * dayOfYear + 2) / 153;
		long day = dayOfYear - (153 * mp + 2) / 5 + 1;
		long month = (mp < 10) ? mp + 3 : mp - 9;
		long year = yearOfEra + era * 400 + ((month <= 2) ? 1 : 0);
		return (year << 16) | (month << 8) | day;
	}

	private static boolean startsUnrestricted(String field) {
		return field.startsWith("*") || field.startsWith("?");
	}

	private long parseTimeField(String field, String name, int min, int max) {
		return new FieldParser(field, name, min, max, null, 0).parse(false).bits;
	}

	private record MonthMask(long key, int mask) {
	}

	/** Parses one field into a bitset plus the special day rules it lists. */
	private final class FieldParser {

		private final String field;

		private final String name;

		private final int min;

		private final int max;

		private final String[] names;

		private final int nameBase;

		private long bits;

		private int[] specials = new int[0];

		/** The list element being parsed, as written, for messages. */
		private String part;

		FieldParser(String field, String name, int min, int max, String[] names, int nameBase) {
			this.field = field;
			this.name = name;
			this.min = min;
			this.max = max;
			this.names = names;
			this.nameBase = nameBase;
		}

		FieldParser parse(boolean dayField) {
			if (this.field.isEmpty() || this.field.startsWith(",") || this.field.endsWith(",")) {
				throw error("empty list element");
			}
			for (String element : this.field.split(",", -1)) {
				if (element.isEmpty()) {
					throw error("empty list element");
				}
				this.part = element;
				String upper = element.toUpperCase(Locale.ROOT);
				if (dayField && upper.equals("?")) {
					if (!this.field.equals("?")) {
						throw error("'?' must stand alone");
					}
					this.bits |= range(this.min, this.max);
				}
				else if (dayField && this.max == 31 && isDayOfMonthSpecial(upper)) {
					addDayOfMonthSpecial(upper);
				}
				else if (dayField && this.max == 7 && (upper.endsWith("L") || upper.contains("#"))) {
					addDayOfWeekSpecial(upper);
				}
				else {
					parseRangeWithStep(element);
				}
			}
			return this;
		}

		int[] specials() {
			return this.specials;
		}

		private boolean isDayOfMonthSpecial(String part) {
			return part.startsWith("L") || part.endsWith("W");
		}

		private void addDayOfMonthSpecial(String part) {
			if (part.equals("L")) {
				addSpecial(LAST_OFFSET);
			}
			else if (part.equals("LW")) {
				addSpecial(LAST_WEEKDAY);
			}
			else if (part.startsWith("L-")) {
				int offset = number(part.substring(2), part);
				if (offset > 30) {
					throw error("offset " + offset + " in '" + this.part + "' is out of range 0-30");
				}
				addSpecial(LAST_OFFSET | offset);
			}
			else if (part.endsWith("W") && !part.startsWith("L")) {
				int day = number(part.substring(0, part.length() - 1), part);
				checkRange(day, part);
				addSpecial(NEAREST_WEEKDAY | day);
			}
			else {
				throw error("'" + this.part + "' is not valid; use L, L-n, LW or nW");
			}
		}

		private void addDayOfWeekSpecial(String part) {
			int hash = part.indexOf('#');
			if (hash >= 0) {
				int weekday = weekday(part.substring(0, hash), part);
				int nth = number(part.substring(hash + 1), part);
				if (nth < 1 || nth > 5) {
					throw error("occurrence " + nth + " in '" + this.part + "' is out of range 1-5");
				}
				addSpecial(NTH_OF_WEEK | (nth << 8) | weekday);
			}
			else if (part.equals("L")) {
				throw error("'L' alone is ambiguous in day-of-week; write the weekday, such as SAT, or dL such as 5L");
			}
			else {
				addSpecial(LAST_OF_WEEK | weekday(part.substring(0, part.length() - 1), part));
			}
		}

		private int weekday(String text, String part) {
			int value = value(text, part);
			checkRange(value, part);
			return value % 7;
		}

		private void addSpecial(int special) {
			int[] grown = java.util.Arrays.copyOf(this.specials, this.specials.length + 1);
			grown[this.specials.length] = special;
			this.specials = grown;
		}

		private void parseRangeWithStep(String part) {
			int slash = part.indexOf('/');
			String rangePart = (slash >= 0) ? part.substring(0, slash) : part;
			int step = 1;
			if (slash >= 0) {
				step = number(part.substring(slash + 1), part);
				if (step < 1) {
					throw error("step " + step + " in '" + this.part + "' must be at least 1");
				}
			}
			int low;
			int high;
			if (rangePart.equals("*")) {
				low = this.min;
				high = this.max;
			}
			else {
				int dash = rangePart.indexOf('-', 1);
				if (dash >= 0) {
					low = value(rangePart.substring(0, dash), part);
					high = value(rangePart.substring(dash + 1), part);
					checkRange(low, part);
					checkRange(high, part);
					if (low > high) {
						throw error("range " + this.part + " starts after it ends");
					}
				}
				else {
					low = value(rangePart, part);
					checkRange(low, part);
					high = (slash >= 0) ? this.max : low;
				}
			}
			for (int value = low; value <= high; value += step) {
				this.bits |= 1L << value;
			}
		}

		private long range(int low, int high) {
			long result = 0;
			for (int value = low; value <= high; value++) {
				result |= 1L << value;
			}
			return result;
		}

		private int value(String text, String part) {
			if (this.names != null && text.length() == 3 && Character.isLetter(text.charAt(0))) {
				for (int i = 0; i < this.names.length; i++) {
					if (this.names[i].equalsIgnoreCase(text)) {
						return i + this.nameBase;
					}
				}
				throw error("unknown name '" + text + "'");
			}
			return number(text, part);
		}

		private int number(String text, String part) {
			if (text.isEmpty() || text.length() > 9) {
				throw error("'" + this.part + "' is not a valid value");
			}
			for (int i = 0; i < text.length(); i++) {
				if (text.charAt(i) < '0' || text.charAt(i) > '9') {
					throw error("'" + this.part + "' is not a valid value");
				}
			}
			return Integer.parseInt(text);
		}

		private void checkRange(int value, String part) {
			if (value < this.min || value > this.max) {
				throw error("value " + value + " is out of range " + this.min + "-" + this.max);
			}
		}

		private InvalidCronExpressionException error(String problem) {
			return new InvalidCronExpressionException(CronExpression.this.expression, this.name, this.field, problem);
		}

	}

}
