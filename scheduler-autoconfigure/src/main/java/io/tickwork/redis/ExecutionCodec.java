package io.tickwork.redis;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import io.tickwork.ExecutionStatus;
import io.tickwork.JobExecution;

/**
 * Writes and reads {@link JobExecution}s as flat JSON in a fixed field order, with
 * instants as epoch microseconds, so that the Lua scripts can read and patch fields.
 */
final class ExecutionCodec {

	private ExecutionCodec() {
	}

	static String encode(JobExecution execution) {
		StringBuilder json = new StringBuilder(256);
		json.append("{\"id\":");
		string(json, execution.id());
		json.append(",\"job\":");
		string(json, execution.job());
		json.append(",\"scheduled\":").append(micros(execution.scheduledTime()));
		json.append(",\"started\":").append(micros(execution.startedAt()));
		json.append(",\"finished\":").append((execution.finishedAt() != null) ? micros(execution.finishedAt()) : "null");
		json.append(",\"status\":\"").append(execution.status().name()).append('"');
		json.append(",\"attempts\":").append(execution.attempts());
		json.append(",\"error\":");
		string(json, execution.errorMessage());
		json.append(",\"instance\":");
		string(json, execution.instanceId());
		json.append(",\"fencing\":").append(execution.fencingToken());
		json.append(",\"trigger\":\"").append(execution.trigger().name()).append('"');
		if (!execution.metadata().isEmpty()) {
			// last, and as one string holding a flat JSON object, so that the scripts' patterns
			// and the flat reader see only the fields above
			StringBuilder metadata = new StringBuilder(64).append('{');
			execution.metadata().forEach((key, value) -> {
				if (metadata.length() > 1) {
					metadata.append(',');
				}
				string(metadata, key);
				metadata.append(':');
				string(metadata, value);
			});
			json.append(",\"metadata\":");
			string(json, metadata.append('}').toString());
		}
		return json.append('}').toString();
	}

	static JobExecution decode(String json) {
		Map<String, String> fields = parse(json);
		return new JobExecution(fields.get("id"), fields.get("job"), instant(fields.get("scheduled")),
				instant(fields.get("started")), instant(fields.get("finished")),
				ExecutionStatus.valueOf(fields.get("status")), Integer.parseInt(fields.get("attempts")),
				fields.get("error"), fields.get("instance"), Long.parseLong(fields.get("fencing")),
				JobExecution.Trigger.valueOf(fields.get("trigger")), metadata(fields.get("metadata")));
	}

	private static Map<String, String> metadata(String json) {
		if (json == null) {
			return Map.of();
		}
		// the flat reader keeps no order: put the keys back in the order they were written
		Map<String, String> values = parse(json);
		Map<String, String> ordered = new LinkedHashMap<>();
		int i = json.indexOf('{') + 1;
		while (ordered.size() < values.size()) {
			StringBuilder key = new StringBuilder();
			i = readString(json, json.indexOf('"', i), key);
			ordered.put(key.toString(), values.get(key.toString()));
			StringBuilder skipped = new StringBuilder();
			i = readString(json, json.indexOf('"', i), skipped);
		}
		return ordered;
	}

	static long micros(Instant instant) {
		return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1000);
	}

	static Instant instant(String micros) {
		if (micros == null || micros.isEmpty()) {
			return null;
		}
		long value = Long.parseLong(micros);
		return Instant.ofEpochSecond(Math.floorDiv(value, 1_000_000L), Math.floorMod(value, 1_000_000L) * 1000);
	}

	private static void string(StringBuilder json, String value) {
		if (value == null) {
			json.append("null");
			return;
		}
		json.append('"');
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			switch (c) {
				case '"' -> json.append("\\\"");
				case '\\' -> json.append("\\\\");
				case '\n' -> json.append("\\n");
				case '\r' -> json.append("\\r");
				case '\t' -> json.append("\\t");
				case '|' -> json.append("\\u007c");
				default -> {
					if (c < 0x20) {
						json.append(String.format("\\u%04x", (int) c));
					}
					else {
						json.append(c);
					}
				}
			}
		}
		json.append('"');
	}

	/** Parses a flat JSON object of strings, numbers and nulls; values come back as text. */
	static Map<String, String> parse(String json) {
		Map<String, String> fields = new HashMap<>();
		int i = json.indexOf('{') + 1;
		while (i < json.length()) {
			i = skipSpace(json, i);
			if (json.charAt(i) == '}') {
				break;
			}
			StringBuilder key = new StringBuilder();
			i = readString(json, i, key);
			i = skipSpace(json, i) + 1;
			i = skipSpace(json, i);
			if (json.charAt(i) == '"') {
				StringBuilder value = new StringBuilder();
				i = readString(json, i, value);
				fields.put(key.toString(), value.toString());
			}
			else {
				int end = i;
				while (end < json.length() && ",}".indexOf(json.charAt(end)) < 0) {
					end++;
				}
				String raw = json.substring(i, end).trim();
				fields.put(key.toString(), raw.equals("null") ? null : raw);
				i = end;
			}
			i = skipSpace(json, i);
			if (json.charAt(i) == ',') {
				i++;
			}
		}
		return fields;
	}

	/** Reads a JSON string starting at its opening quote; returns the index after it. */
	static int readString(String json, int start, StringBuilder out) {
		int i = start + 1;
		while (json.charAt(i) != '"') {
			char c = json.charAt(i++);
			if (c == '\\') {
				char escaped = json.charAt(i++);
				switch (escaped) {
					case 'n' -> out.append('\n');
					case 'r' -> out.append('\r');
					case 't' -> out.append('\t');
					case 'b' -> out.append('\b');
					case 'f' -> out.append('\f');
					case 'u' -> {
						out.append((char) Integer.parseInt(json.substring(i, i + 4), 16));
						i += 4;
					}
					default -> out.append(escaped);
				}
			}
			else {
				out.append(c);
			}
		}
		return i + 1;
	}

	private static int skipSpace(String json, int i) {
		while (i < json.length() && Character.isWhitespace(json.charAt(i))) {
			i++;
		}
		return i;
	}

	/** Decodes a JSON-escaped string fragment, as the scripts store the last error. */
	static String unescape(String escaped) {
		StringBuilder out = new StringBuilder(escaped.length());
		readString("\"" + escaped + "\"", 0, out);
		return out.toString();
	}

}
