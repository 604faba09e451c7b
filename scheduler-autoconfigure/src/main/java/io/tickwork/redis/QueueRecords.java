package io.tickwork.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

import io.tickwork.QueuedJob;
import io.tickwork.QueuedJob.Status;

/**
 * Reads queued jobs out of the queue script's answers and hashes, and loads the script.
 */
final class QueueRecords {

	private QueueRecords() {
	}

	/** The fields of a job in the queue script's answers, in its order (FIELDS in queue.lua). */
	private static final List<String> FIELDS = List.of("st", "pl", "pt", "pr", "att", "max", "to", "cr", "sc", "sa",
			"fa", "err", "inst", "tok");

	static QueuedJob job(String type, List<?> answer, int at) {
		String id = (String) answer.get(at);
		return job(type, id, (name) -> {
			Object value = answer.get(at + 1 + FIELDS.indexOf(name));
			return (value != null) ? value.toString() : null;
		});
	}

	static QueuedJob job(String type, String id, java.util.function.Function<String, String> field) {
		String payloadType = field.apply("pt");
		String timeout = field.apply("to");
		String token = field.apply("tok");
		return new QueuedJob(id, type, Status.valueOf(field.apply("st")), field.apply("pl"),
				(payloadType == null || payloadType.isEmpty()) ? null : payloadType, integer(field.apply("pr")),
				integer(field.apply("att")), integer(field.apply("max")),
				(timeout != null) ? Duration.ofMillis(Long.parseLong(timeout)) : null, instant(field.apply("cr")),
				instant(field.apply("sc")), instant(field.apply("sa")), instant(field.apply("fa")),
				emptyToNull(field.apply("err")), field.apply("inst"), (token != null) ? Long.parseLong(token) : 0);
	}

	static String load() {
		try (java.io.InputStream in = QueueRecords.class.getResourceAsStream("queue.lua")) {
			return new String(Objects.requireNonNull(in, "queue.lua").readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException("Cannot read Tickwork's queue script", ex);
		}
	}

	static String sha1(String source) {
		try {
			return java.util.HexFormat.of()
				.formatHex(java.security.MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8)));
		}
		catch (java.security.NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static int integer(String value) {
		return (value != null) ? Integer.parseInt(value) : 0;
	}

	static Instant instant(String value) {
		return (value != null && !value.isEmpty()) ? Instant.ofEpochMilli(Long.parseLong(value)) : null;
	}

	static String emptyToNull(String value) {
		return (value == null || value.isEmpty()) ? null : value;
	}

	static int number(Object value) {
		return (value instanceof Number number) ? number.intValue() : Integer.parseInt(value.toString());
	}

	static boolean isOne(Object answer) {
		return answer instanceof Number number && number.longValue() == 1;
	}

	static String millis(Instant instant) {
		return String.valueOf(instant.toEpochMilli());
	}

}
