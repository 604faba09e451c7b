package io.tickwork.autoconfigure;

/**
 * Thrown at startup when a job's declaration or configuration is invalid; the message
 * names the bean, the method, the attribute or property, and the value.
 *
 * @author Tickwork team
 * @since 0.1.0
 */
public class InvalidJobDefinitionException extends IllegalStateException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates a new instance.
	 * @param message the message
	 * @param cause the cause, or {@code null}
	 */
	public InvalidJobDefinitionException(String message, Throwable cause) {
		super(message, cause);
	}

}
