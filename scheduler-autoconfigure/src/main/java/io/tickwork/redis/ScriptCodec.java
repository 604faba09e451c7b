package io.tickwork.redis;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.tickwork.ExecutionStatus;
import io.tickwork.JobExecution;
import io.tickwork.JobStats;
import io.tickwork.lock.Claim;
import io.tickwork.lock.ClaimRequest;
import io.tickwork.lock.Lease;
import io.tickwork.state.JobStateStore;

/**
 * What each operation of {@code batch.lua} means on the wire: its kind (whose name
 * carries its flags), the arguments it takes, in the order the script's header lists
 * them, and how its answer reads. Stateless; the names match the script's.
 */
final class ScriptCodec {

	private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(SecureRandom::new);

	private static final String FENCING_PLACEHOLDER = "\"fencing\":0,";

	/** The script's claim operations, by check fire and pause, exclusive and record history. */
	private static final byte[][] CLAIMS = bytes("c000", "c001", "c010", "c011", "c100", "c101", "c110", "c111");

	/** The script's claims of a fire that stands for missed ones, by exclusive and record history. */
	private static final byte[][] MISSED_CLAIMS = bytes("m100", "m101", "m110", "m111");

	/** The script's release operations, by exclusive and record history. */
	private static final byte[][] RELEASES = bytes("r00", "r01", "r10", "r11");

	static final byte[] EXTEND_EXCLUSIVE = ascii("x1");

	static final byte[] EXTEND = ascii("x0");

	static final byte[] WRITE = ascii("w");

	/** Writes a record whose id was never recorded, such as a queued job's attempt. */
	static final byte[] WRITE_NEW = ascii("W");

	static final byte[] REAP = ascii("p");

	static final byte[] READ_FIRE = ascii("l");

	static final byte[] READ_PAUSED = ascii("i");

	static final byte[] CLAIM_FIRE = ascii("f");

	/** Claims a fire that stands for missed ones, with the first and the last of them. */
	static final byte[] CLAIM_MISSED_FIRE = ascii("g");

	static final byte[] READ_HISTORY = ascii("h");

	static final byte[] READ_STATS = ascii("s");

	private ScriptCodec() {
	}

	static byte[][] bytes(String... values) {
		byte[][] bytes = new byte[values.length][];
		for (int i = 0; i < values.length; i++) {
			bytes[i] = values[i].getBytes(StandardCharsets.UTF_8);
		}
		return bytes;
	}

	private static byte[] ascii(String value) {
		return value.getBytes(StandardCharsets.US_ASCII);
	}

	/** A new lease token: 128 random bits in hex. */
	static String token() {
		byte[] bytes = new byte[16];
		RANDOM.get().nextBytes(bytes);
		return HexFormat.of().formatHex(bytes);
	}

	/** The claim operation for a request, whose name carries its flags. */
	static byte[] claimKind(ClaimRequest request, boolean recordHistory) {
		if (request.missed() != null) {
			return MISSED_CLAIMS[(request.exclusive() ? 2 : 0) + (recordHistory ? 1 : 0)];
		}
		return CLAIMS[(request.checksFire() ? 4 : 0) + (request.exclusive() ? 2 : 0) + (recordHistory ? 1 : 0)];
	}

	/**
	 * A claim's arguments: scheduled (epoch ms), lock ttl (ms), token, execution id, and
	 * the running execution's json before and after its fencing token, which the script
	 * writes in; for a fire that stands for missed ones, then the first and the last of
	 * them (epoch ms).
	 */
	static String[] claimArguments(ClaimRequest request, String token) {
		JobExecution running = new JobExecution(request.executionId(), request.job(), request.scheduledTime(),
				request.requestedAt(), null, ExecutionStatus.RUNNING, 0, null, request.instanceId(), 0,
				request.trigger());
		String json = ExecutionCodec.encode(running);
		int fencing = json.indexOf(FENCING_PLACEHOLDER) + FENCING_PLACEHOLDER.length() - 2;
		String scheduled = String.valueOf(request.scheduledTime().toEpochMilli());
		String ttl = String.valueOf(request.ttl().toMillis());
		if (request.missed() != null) {
			return new String[] { scheduled, ttl, token, request.executionId(), json.substring(0, fencing),
					json.substring(fencing + 1), String.valueOf(request.missed().first().toEpochMilli()),
					String.valueOf(request.missed().last().toEpochMilli()) };
		}
		return new String[] { scheduled, ttl, token, request.executionId(), json.substring(0, fencing),
				json.substring(fencing + 1) };
	}

	/** A claim's answer: 'A fencing', 'C', 'C to', 'C latest n', 'C first latest n', 'O to', 'P' or 'L'. */
	static Claim claimed(ClaimRequest request, String token, String answer) {
		return switch (answer.charAt(0)) {
			case 'A' -> Claim.acquired(new Lease(request.job(), token, Long.parseLong(answer.substring(2)),
					request.scheduledTime(), request.exclusive(), request.executionId()));
			case 'C' -> {
				JobStateStore.ClaimedAhead ahead = ahead(answer);
				Instant settled = settledUntil(answer);
				yield (ahead != null) ? new Claim(Claim.Status.ALREADY_CLAIMED, null, settled, ahead)
						: Claim.rejected(Claim.Status.ALREADY_CLAIMED, settled);
			}
			case 'P' -> Claim.rejected(Claim.Status.PAUSED);
			case 'L' -> Claim.rejected(Claim.Status.LOCKED);
			case 'O' -> Claim.rejected(Claim.Status.SUPERSEDED, settledUntil(answer));
			default -> throw new IllegalStateException("Unexpected claim answer from Redis: " + answer);
		};
	}

	/**
	 * The fire a refusal ('C to', 'O to', 'C first latest n') settles the job's fires up
	 * to, or null ('C', 'C latest n').
	 */
	static Instant settledUntil(String answer) {
		if (answer.length() <= 2) {
			return null;
		}
		int space = answer.indexOf(' ', 2);
		if (space < 0) {
			return Instant.ofEpochMilli(Long.parseLong(answer, 2, answer.length(), 10));
		}
		return (answer.indexOf(' ', space + 1) >= 0) ? Instant.ofEpochMilli(Long.parseLong(answer, 2, space, 10))
				: null;
	}

	/** A state store's claim of a fire: '1' taken, or a claim's refusal. */
	static JobStateStore.FireAnswer fireAnswer(String answer) {
		return new JobStateStore.FireAnswer(switch (answer.charAt(0)) {
			case '1' -> JobStateStore.FireClaim.TAKEN;
			case 'O' -> JobStateStore.FireClaim.SUPERSEDED;
			default -> JobStateStore.FireClaim.CLAIMED;
		}, settledUntil(answer), ahead(answer));
	}

	/** The claimed fires after a claimed one ('C latest n'), or after the first ('C first latest n'), or null. */
	static JobStateStore.ClaimedAhead ahead(String answer) {
		int space = (answer.length() > 2) ? answer.indexOf(' ', 2) : -1;
		if (space < 0) {
			return null;
		}
		int third = answer.indexOf(' ', space + 1);
		if (third >= 0) {
			return new JobStateStore.ClaimedAhead(Instant.ofEpochMilli(Long.parseLong(answer, space + 1, third, 10)),
					Integer.parseInt(answer, third + 1, answer.length(), 10));
		}
		return new JobStateStore.ClaimedAhead(Instant.ofEpochMilli(Long.parseLong(answer, 2, space, 10)),
				Integer.parseInt(answer, space + 1, answer.length(), 10));
	}

	/** The extension operation of a lease. */
	static byte[] extendKind(Lease lease) {
		return lease.exclusive() ? EXTEND_EXCLUSIVE : EXTEND;
	}

	/** An extension's arguments: token, ttl (ms), and the execution id of a lease that is not exclusive. */
	static String[] extendArguments(Lease lease, Duration ttl) {
		return lease.exclusive() ? new String[] { lease.token(), String.valueOf(ttl.toMillis()) }
				: new String[] { lease.token(), String.valueOf(ttl.toMillis()), lease.executionId() };
	}

	/** The release operation of a lease, whose name carries its flags. */
	static byte[] releaseKind(Lease lease, boolean recordHistory) {
		return releaseKind(lease.exclusive(), recordHistory);
	}

	static byte[] releaseKind(boolean exclusive, boolean recordHistory) {
		return RELEASES[(exclusive ? 2 : 0) + (recordHistory ? 1 : 0)];
	}

	/** The arguments of a release that writes no record: the token, and the execution id of a lease that is not exclusive. */
	static String[] orphanReleaseArguments(OrphanLeases.Orphan orphan) {
		return orphan.exclusive() ? new String[] { orphan.token(), "", "", "", "" }
				: new String[] { orphan.token(), "", "", "", "", orphan.executionId() };
	}

	/**
	 * A release's arguments: token, status, duration (micros), finished (epoch micros),
	 * json, and the execution id of a lease that is not exclusive.
	 */
	static String[] releaseArguments(Lease lease, JobExecution execution) {
		String status = execution.status().name();
		String finished = micros(execution.finishedAt());
		String json = ExecutionCodec.encode(execution);
		return lease.exclusive() ? new String[] { lease.token(), status, duration(execution), finished, json }
				: new String[] { lease.token(), status, duration(execution), finished, json, lease.executionId() };
	}

	/** A history write's arguments: status, duration (micros), finished (epoch micros), json. */
	static String[] writeArguments(JobExecution execution) {
		return new String[] { execution.status().name(), duration(execution), micros(execution.finishedAt()),
				ExecutionCodec.encode(execution) };
	}

	/**
	 * The answer of the history read: executions one a line, running ones first; records
	 * older than {@code oldest} are left out, and a record replaces the running entry of
	 * its execution. Newest first, at most {@code limit}.
	 */
	static List<JobExecution> history(String lines, Instant oldest, int limit) {
		if (lines.isEmpty()) {
			return List.of();
		}
		Map<String, JobExecution> byId = new LinkedHashMap<>();
		for (String line : lines.split("\n")) {
			JobExecution execution = ExecutionCodec.decode(line);
			if (!execution.startedAt().isBefore(oldest) || !execution.status().isFinished()) {
				// a running entry and a record of the same execution: the record is newer
				byId.put(execution.id(), execution);
			}
		}
		return byId.values()
			.stream()
			.sorted(Comparator.comparing(JobExecution::startedAt).reversed())
			.limit(limit)
			.toList();
	}

	/** The answer of the statistics read: the script's STATS, each followed by a comma, then the last error. */
	static JobStats stats(String answer) {
		if (answer.isEmpty()) {
			return JobStats.EMPTY;
		}
		int line = answer.indexOf('\n');
		String[] s = answer.substring(0, line).split(",", -1);
		long runs = number(s[4]);
		String lastError = answer.substring(line + 1);
		return new JobStats(number(s[0]), number(s[1]), number(s[2]), number(s[3]), ExecutionCodec.instant(s[8]),
				ExecutionCodec.instant(s[9]),
				(lastError == null || lastError.isEmpty()) ? null : ExecutionCodec.unescape(lastError),
				(runs > 0) ? Duration.ofNanos(number(s[6]) * 1000) : null,
				(runs > 0) ? Duration.ofNanos(number(s[5]) / runs * 1000) : null,
				(runs > 0) ? Duration.ofNanos(number(s[7]) * 1000) : null);
	}

	private static long number(String value) {
		return value.isEmpty() ? 0 : Long.parseLong(value);
	}

	private static String micros(Instant instant) {
		return (instant != null) ? String.valueOf(ExecutionCodec.micros(instant)) : "";
	}

	/**
	 * How long a finished execution ran, in micros, never negative (the wall clock may
	 * step back while it runs); empty while it runs.
	 */
	private static String duration(JobExecution execution) {
		return (execution.finishedAt() != null) ? String.valueOf(Math.max(0,
				ExecutionCodec.micros(execution.finishedAt()) - ExecutionCodec.micros(execution.startedAt()))) : "";
	}

}
