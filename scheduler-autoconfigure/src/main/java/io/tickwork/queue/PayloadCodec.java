package io.tickwork.queue;

import java.lang.reflect.Type;

/**
 * Writes queued jobs' payloads as JSON and reads them back as their handler's parameter
 * type; with Spring Boot, the application's JSON mapper, so that its settings apply.
 *
 * @author Tickwork team
 * @since 0.2.0
 */
public interface PayloadCodec {

	/**
	 * Writes a payload.
	 * @param payload the payload, not {@code null}
	 * @return its JSON
	 * @throws RuntimeException if it cannot be written
	 */
	String write(Object payload);

	/**
	 * Reads a payload.
	 * @param json the JSON
	 * @param type the type to read
	 * @return the payload
	 * @throws RuntimeException if it cannot be read as that type
	 */
	Object read(String json, Type type);

}
