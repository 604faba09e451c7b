package io.tickwork.autoconfigure;

import java.lang.reflect.Type;

import tools.jackson.databind.json.JsonMapper;

import io.tickwork.queue.PayloadCodec;

/**
 * Writes and reads queued jobs' payloads with the application's Jackson {@link JsonMapper},
 * so that its modules and settings apply.
 *
 * @author Tickwork team
 * @since 0.2.0
 */
public class JacksonPayloadCodec implements PayloadCodec {

	private final JsonMapper mapper;

	/**
	 * Creates a new instance.
	 * @param mapper the mapper
	 */
	public JacksonPayloadCodec(JsonMapper mapper) {
		this.mapper = mapper;
	}

	@Override
	public String write(Object payload) {
		return this.mapper.writeValueAsString(payload);
	}

	@Override
	public Object read(String json, Type type) {
		return this.mapper.readValue(json, this.mapper.constructType(type));
	}

}
