package io.tickwork.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Function;

import org.springframework.boot.convert.DurationStyle;

/**
 * Collects every problem of one job declaration (annotation attributes or per-job
 * properties) before failing, each naming its place and the offending value; and the
 * checks of the values themselves, which throw the problem's wording.
 */
final class DeclarationErrors {

	private final String context;

	private final Set<String> problems = new LinkedHashSet<>();

	DeclarationErrors(String context) {
		this.context = context;
	}

	void add(String problem) {
		this.problems.add(problem);
	}

	int count() {
		return this.problems.size();
	}

	<T> T attribute(String attribute, String value, Function<String, T> parser) {
		return parse("attribute '" + attribute + "'", value, parser);
	}

	<T> T property(String property, String value, Function<String, T> parser) {
		return parse("property '" + property + "'", value, parser);
	}

	private <T> T parse(String place, String value, Function<String, T> parser) {
		try {
			return parser.apply(value);
		}
		catch (RuntimeException ex) {
			String shown = (value != null && !value.isEmpty()) ? " with value '" + value + "'" : "";
			add(place + shown + ": " + ex.getMessage());
			return null;
		}
	}

	void throwIfAny() {
		if (!this.problems.isEmpty()) {
			throw new InvalidJobDefinitionException(this.context + ": " + String.join("; ", this.problems), null);
		}
	}

	static Duration duration(String value) {
		return DurationStyle.detectAndParse(value);
	}

	static Duration positive(Duration duration) {
		if (duration.isNegative() || duration.isZero()) {
			throw new IllegalArgumentException("must be positive");
		}
		return duration;
	}

	static Duration nonNegative(Duration duration) {
		if (duration.isNegative()) {
			throw new IllegalArgumentException("must not be negative");
		}
		return duration;
	}

	static double atLeast(double value, double min, String problem) {
		if (!(value >= min)) {
			throw new IllegalArgumentException(problem);
		}
		return value;
	}

	static double between(double value) {
		if (!(value >= 0 && value <= 1)) {
			throw new IllegalArgumentException("must be between 0 and 1");
		}
		return value;
	}

	static int atLeastOne(int value) {
		if (value < 1) {
			throw new IllegalArgumentException("must be at least 1");
		}
		return value;
	}

	static <T> T single(T[] values, T fallback) {
		if (values.length > 1) {
			throw new IllegalArgumentException("must have at most one value");
		}
		return (values.length == 1) ? values[0] : fallback;
	}

}
