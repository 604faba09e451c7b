package io.tickwork.engine;

import java.util.LinkedHashMap;
import java.util.Map;

import io.tickwork.JobExecution;

/**
 * What a job keeps with one execution through {@link io.tickwork.JobContext#put}: at most
 * {@value JobExecution#METADATA_MAX_KEYS} keys, values cut to
 * {@value JobExecution#METADATA_MAX_VALUE_LENGTH} characters. Thread-safe.
 *
 * @author Tickwork team
 * @since 0.2.0
 */
public final class ExecutionMetadata {

	private final Map<String, String> values = new LinkedHashMap<>();

	/**
	 * Keeps a value.
	 * @param execution the execution, for messages
	 * @param key the key
	 * @param value the value, kept as text
	 */
	public void put(JobExecution execution, String key, Object value) {
		if (key == null || key.isEmpty() || key.length() > JobExecution.METADATA_MAX_KEY_LENGTH) {
			throw new IllegalArgumentException("Metadata key must have 1 to " + JobExecution.METADATA_MAX_KEY_LENGTH
					+ " characters, was '" + key + "'");
		}
		String text = String.valueOf(value);
		if (text.length() > JobExecution.METADATA_MAX_VALUE_LENGTH) {
			text = text.substring(0, JobExecution.METADATA_MAX_VALUE_LENGTH);
		}
		synchronized (this.values) {
			if (!this.values.containsKey(key) && this.values.size() >= JobExecution.METADATA_MAX_KEYS) {
				throw new IllegalStateException("Execution " + execution.id() + " of job '" + execution.job()
						+ "' already keeps " + JobExecution.METADATA_MAX_KEYS + " metadata keys; cannot add '" + key
						+ "'");
			}
			this.values.put(key, text);
		}
	}

	/**
	 * The values kept so far.
	 * @return a copy, in the order the keys were first put
	 */
	public Map<String, String> snapshot() {
		synchronized (this.values) {
			return this.values.isEmpty() ? Map.of() : new LinkedHashMap<>(this.values);
		}
	}

}
