package io.tickwork.queue;

import java.lang.reflect.Type;

import tools.jackson.databind.json.JsonMapper;

/**
 * A payload codec on a plain Jackson mapper, for tests without an application context.
 */
public final class JsonCodec implements PayloadCodec {

	private final JsonMapper mapper = JsonMapper.builder().build();

	@Override
	public String write(Object payload) {
		return this.mapper.writeValueAsString(payload);
	}

	@Override
	public Object read(String json, Type type) {
		return this.mapper.readValue(json, this.mapper.constructType(type));
	}

}
