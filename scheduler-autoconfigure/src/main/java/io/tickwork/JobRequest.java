package io.tickwork;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A queued job to enqueue: its type, payload and options. Immutable: every option method
 * returns a new request.
 * <pre class="code">
 * queue.enqueue(JobRequest.of("send-email", mail)
 *     .id("welcome-" + userId)
 *     .priority(10)
 *     .delay(Duration.ofMinutes(5))
 *     .maxAttempts(5)
 *     .timeout(Duration.ofSeconds(30)));
 * </pre>
 *
 * @author Tickwork team
 * @since 0.2.0
 */
public final class JobRequest {

	/** Lowest priority a job may have. */
	public static final int MIN_PRIORITY = -1000;

	/** Highest priority a job may have. */
	public static final int MAX_PRIORITY = 1000;

	private final String type;

	private final Object payload;

	private final String id;

	private final int priority;

	private final Duration delay;

	private final Instant at;

	private final int maxAttempts;

	private final Duration timeout;

	private JobRequest(String type, Object payload, String id, int priority, Duration delay, Instant at,
			int maxAttempts, Duration timeout) {
		this.type = type;
		this.payload = payload;
		this.id = id;
		this.priority = priority;
		this.delay = delay;
		this.at = at;
		this.maxAttempts = maxAttempts;
		this.timeout = timeout;
	}

	/**
	 * Starts a request to run a job of a type now, once, with its handler's settings.
	 * @param type the job type
	 * @param payload the payload, written as JSON; may be {@code null}
	 * @return the request
	 * @throws IllegalArgumentException if the type is not a valid type name
	 */
	public static JobRequest of(String type, Object payload) {
		return new JobRequest(checkType(type), payload, null, 0, null, null, 0, null);
	}

	/**
	 * Gives the job its own id, its idempotency key: enqueueing a job of the same type with
	 * the same id again while the first one exists (waiting, running, kept after its end
	 * for {@code retention}, or in the dead letter) returns the existing job's id and
	 * enqueues nothing.
	 * @param id 1 to 200 characters, without whitespace, control characters, braces
	 * @return the new request
	 */
	public JobRequest id(String id) {
		return new JobRequest(this.type, this.payload, checkId(id), this.priority, this.delay, this.at,
				this.maxAttempts, this.timeout);
	}

	/**
	 * Sets the priority: a job of a higher priority runs before any job of a lower one
	 * that is ready; jobs of one priority run in the order they were enqueued.
	 * @param priority from {@value #MIN_PRIORITY} to {@value #MAX_PRIORITY}; 0 by default
	 * @return the new request
	 */
	public JobRequest priority(int priority) {
		if (priority < MIN_PRIORITY || priority > MAX_PRIORITY) {
			throw new IllegalArgumentException("Priority " + priority + " of a '" + this.type + "' job is out of range ["
					+ MIN_PRIORITY + ", " + MAX_PRIORITY + "]");
		}
		return new JobRequest(this.type, this.payload, this.id, priority, this.delay, this.at, this.maxAttempts,
				this.timeout);
	}

	/**
	 * Runs the job no sooner than this long after it is enqueued; replaces {@link #at}.
	 * @param delay a delay, zero or more
	 * @return the new request
	 */
	public JobRequest delay(Duration delay) {
		Objects.requireNonNull(delay, "delay");
		if (delay.isNegative()) {
			throw new IllegalArgumentException("Delay " + delay + " of a '" + this.type + "' job is negative");
		}
		return new JobRequest(this.type, this.payload, this.id, this.priority, delay, null, this.maxAttempts,
				this.timeout);
	}

	/**
	 * Runs the job no sooner than an instant (now if it is past); replaces {@link #delay}.
	 * @param at the instant
	 * @return the new request
	 */
	public JobRequest at(Instant at) {
		return new JobRequest(this.type, this.payload, this.id, this.priority, null, Objects.requireNonNull(at, "at"),
				this.maxAttempts, this.timeout);
	}

	/**
	 * Sets the number of deliveries of this job, instead of its handler's
	 * {@code retry.maxAttempts}.
	 * @param maxAttempts at least 1
	 * @return the new request
	 */
	public JobRequest maxAttempts(int maxAttempts) {
		if (maxAttempts < 1) {
			throw new IllegalArgumentException("maxAttempts " + maxAttempts + " of a '" + this.type
					+ "' job must be at least 1");
		}
		return new JobRequest(this.type, this.payload, this.id, this.priority, this.delay, this.at, maxAttempts,
				this.timeout);
	}

	/**
	 * Sets the timeout of each attempt of this job, instead of its handler's.
	 * @param timeout a positive duration
	 * @return the new request
	 */
	public JobRequest timeout(Duration timeout) {
		Objects.requireNonNull(timeout, "timeout");
		if (timeout.isNegative() || timeout.isZero()) {
			throw new IllegalArgumentException("Timeout " + timeout + " of a '" + this.type + "' job must be positive");
		}
		return new JobRequest(this.type, this.payload, this.id, this.priority, this.delay, this.at, this.maxAttempts,
				timeout);
	}

	/**
	 * The job type.
	 * @return the type
	 */
	public String type() {
		return this.type;
	}

	/**
	 * The payload.
	 * @return the payload, or {@code null}
	 */
	public Object payload() {
		return this.payload;
	}

	/**
	 * The job's own id.
	 * @return the id, or {@code null} to have one generated
	 */
	public String id() {
		return this.id;
	}

	/**
	 * The priority.
	 * @return the priority
	 */
	public int priority() {
		return this.priority;
	}

	/**
	 * When the job may run, given the time it is enqueued.
	 * @param now the time of the enqueue
	 * @return the earliest start, {@code now} if it has no delay
	 */
	public Instant runAt(Instant now) {
		if (this.at != null) {
			return this.at.isBefore(now) ? now : this.at;
		}
		return (this.delay != null) ? now.plus(this.delay) : now;
	}

	/**
	 * The number of deliveries asked for.
	 * @return at least 1, or {@code 0} for the handler's
	 */
	public int maxAttempts() {
		return this.maxAttempts;
	}

	/**
	 * The timeout of each attempt asked for.
	 * @return the timeout, or {@code null} for the handler's
	 */
	public Duration timeout() {
		return this.timeout;
	}

	/**
	 * Checks a job type name: 1 to 100 letters, digits, {@code .}, {@code _} or
	 * {@code -}, starting with a letter or digit, so that it fits the store's keys.
	 * @param type the type
	 * @return the type
	 * @throws IllegalArgumentException if it is not valid
	 */
	public static String checkType(String type) {
		boolean valid = type != null && !type.isEmpty() && type.length() <= 100
				&& Character.isLetterOrDigit(type.charAt(0));
		for (int i = 0; valid && i < type.length(); i++) {
			char c = type.charAt(i);
			valid = (c < 128 && Character.isLetterOrDigit(c)) || c == '.' || c == '_' || c == '-';
		}
		if (!valid) {
			throw new IllegalArgumentException("Job type '" + type + "' is not valid: use 1 to 100 ASCII letters, digits,"
					+ " '.', '_' or '-', starting with a letter or digit");
		}
		return type;
	}

	/**
	 * Checks a job id: 1 to 200 characters without whitespace, control characters or
	 * braces.
	 * @param id the id
	 * @return the id
	 * @throws IllegalArgumentException if it is not valid
	 */
	public static String checkId(String id) {
		boolean valid = id != null && !id.isEmpty() && id.length() <= 200;
		for (int i = 0; valid && i < id.length(); i++) {
			char c = id.charAt(i);
			valid = !Character.isWhitespace(c) && !Character.isISOControl(c) && c != '{' && c != '}';
		}
		if (!valid) {
			throw new IllegalArgumentException("Job id '" + id
					+ "' is not valid: use 1 to 200 characters without whitespace, control characters or braces");
		}
		return id;
	}

	@Override
	public String toString() {
		return "JobRequest[type=" + this.type + ", id=" + this.id + ", priority=" + this.priority + "]";
	}

}
