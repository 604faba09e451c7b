package io.tickwork.schedule;

/**
 * Thrown when a cron expression cannot be parsed or can never fire; the message names
 * the field and the offending value.
 *
 * @author Tickwork team
 * @since 0.1.0
 */
public class InvalidCronExpressionException extends IllegalArgumentException {

	private static final long serialVersionUID = 1L;

	private final String expression;

	private final String field;

	private final String value;

	InvalidCronExpressionException(String expression, String field, String value, String problem) {
		super(message(expression, field, value, problem));
		this.expression = expression;
		this.field = field;
		this.value = value;
	}

	private static String message(String expression, String field, String value, String problem) {
		StringBuilder message = new StringBuilder("Invalid cron expression '").append(expression).append("'");
		if (field != null) {
			message.append(": ").append(field).append(" field '").append(value).append("'");
		}
		return message.append(": ").append(problem).toString();
	}

	/**
	 * The expression that failed to parse.
	 * @return the expression
	 */
	public String getExpression() {
		return this.expression;
	}

	/**
	 * The field in error, such as {@code minute} or {@code day-of-week}.
	 * @return the field name, or {@code null} if the whole expression is in error
	 */
	public String getField() {
		return this.field;
	}

	/**
	 * The text of the field in error.
	 * @return the field's value, or {@code null} if the whole expression is in error
	 */
	public String getValue() {
		return this.value;
	}

}
