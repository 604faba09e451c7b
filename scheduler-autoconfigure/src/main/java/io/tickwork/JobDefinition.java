package io.tickwork;

import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

import io.tickwork.schedule.Schedule;

/**
 * Everything the engine needs to run a job: name, schedule, work and policies.
 * Immutable and thread-safe; build one with {@link #builder(String, Schedule, JobTask)}.
 *
 * @author Tickwork team
 * @since 0.1.0
 */
public final class JobDefinition {

	private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");

	private final String name;

	private final Schedule schedule;

	private final JobTask task;

	private final Duration timeout;

	private final RetryPolicy retry;

	private final Overlap overlap;

	private final Misfire misfire;

	private final Set<String> tags;

	private final Duration initialDelay;

	private final boolean enabled;

	private final boolean runOnStart;

	private final String source;

	private JobDefinition(Builder builder) {
		this.name = checkName(builder.name);
		this.schedule = Objects.requireNonNull(builder.schedule, "schedule must not be null").forJob(this.name);
		this.task = Objects.requireNonNull(builder.task, "task must not be null");
		if (builder.timeout != null && (builder.timeout.isNegative() || builder.timeout.isZero())) {
			throw new IllegalArgumentException("timeout must be positive, was " + builder.timeout);
		}
		if (builder.initialDelay.isNegative()) {
			throw new IllegalArgumentException("initialDelay must not be negative, was " + builder.initialDelay);
		}
		this.timeout = builder.timeout;
		this.retry = Objects.requireNonNull(builder.retry, "retry must not be null");
		this.overlap = Objects.requireNonNull(builder.overlap, "overlap must not be null");
		this.misfire = Objects.requireNonNull(builder.misfire, "misfire must not be null");
		this.tags = Collections.unmodifiableSet(new LinkedHashSet<>(builder.tags));
		this.initialDelay = builder.initialDelay;
		this.enabled = builder.enabled;
		if (builder.runOnStart && this.schedule.fromCompletion()) {
			throw new IllegalArgumentException("Job '" + this.name + "': runOnStart needs a schedule with fire times of its own (cron, "
					+ "interval, daily...), not " + this.schedule + ": a fixed-delay job already runs at start, "
					+ "after its initial delay");
		}
		this.runOnStart = builder.runOnStart;
		this.source = builder.source;
	}

	/**
	 * Checks that a job name is made of letters, digits, {@code .}, {@code _} and
	 * {@code -}, starts with a letter or digit, and has at most 200 characters, so that
	 * it fits in store keys, property names and URLs.
	 * @param name the name to check
	 * @return the name
	 * @throws IllegalArgumentException if the name is not valid
	 */
	public static String checkName(String name) {
		if (name == null || !NAME.matcher(name).matches()) {
			throw new IllegalArgumentException("Job name '" + name
					+ "' is not valid: use 1 to 200 letters, digits, '.', '_' or '-', starting with a letter or digit");
		}
		return name;
	}

	/**
	 * Starts a definition with the required parts; the policies default to one attempt,
	 * no timeout, {@link Overlap#SKIP} and {@link Misfire#RUN_ONCE}.
	 * @param name the job name
	 * @param schedule when the job fires
	 * @param task what the job does
	 * @return a builder
	 */
	public static Builder builder(String name, Schedule schedule, JobTask task) {
		return new Builder(name, schedule, task);
	}

	/**
	 * Returns a builder initialised with this definition.
	 * @return a builder
	 */
	public Builder toBuilder() {
		return new Builder(this.name, this.schedule, this.task).timeout(this.timeout)
			.retry(this.retry)
			.overlap(this.overlap)
			.misfire(this.misfire)
			.tags(this.tags)
			.initialDelay(this.initialDelay)
			.enabled(this.enabled)
			.runOnStart(this.runOnStart)
			.source(this.source);
	}

	/**
	 * Name of the job.
	 * @return the name
	 */
	public String name() {
		return this.name;
	}

	/**
	 * When the job fires, as bound to this job ({@link Schedule#forJob(String)}).
	 * @return the schedule
	 */
	public Schedule schedule() {
		return this.schedule;
	}

	/**
	 * What the job does.
	 * @return the task
	 */
	public JobTask task() {
		return this.task;
	}

	/**
	 * Maximum duration of one attempt.
	 * @return the timeout, or {@code null} for none
	 */
	public Duration timeout() {
		return this.timeout;
	}

	/**
	 * The retry policy.
	 * @return the retry policy
	 */
	public RetryPolicy retry() {
		return this.retry;
	}

	/**
	 * The overlap policy.
	 * @return the overlap policy
	 */
	public Overlap overlap() {
		return this.overlap;
	}

	/**
	 * The misfire policy.
	 * @return the misfire policy
	 */
	public Misfire misfire() {
		return this.misfire;
	}

	/**
	 * The job's tags.
	 * @return the tags, never {@code null}
	 */
	public Set<String> tags() {
		return this.tags;
	}

	/**
	 * Minimum time between registration and the first fire.
	 * @return the initial delay
	 */
	public Duration initialDelay() {
		return this.initialDelay;
	}

	/**
	 * Whether the job fires.
	 * @return whether the job is enabled
	 */
	public boolean enabled() {
		return this.enabled;
	}

	/**
	 * Whether an instance that starts runs the job at once when no instance ran it since
	 * its previous scheduled time; the run takes that fire's place, claimed like any fire,
	 * so that it runs once per cluster.
	 * @return whether the job runs on start
	 * @since 0.1.0
	 */
	public boolean runOnStart() {
		return this.runOnStart;
	}

	/**
	 * Where the job was declared, such as {@code bean 'reports' method
	 * Reports.weeklyReport()}, for messages.
	 * @return the source, or {@code null} if unknown
	 */
	public String source() {
		return this.source;
	}

	@Override
	public String toString() {
		return "JobDefinition[" + this.name + ", " + this.schedule + "]";
	}

	/**
	 * Builds a {@link JobDefinition}. Not thread-safe.
	 *
	 * @since 0.1.0
	 */
	public static final class Builder {

		private final String name;

		private Schedule schedule;

		private final JobTask task;

		private Duration timeout;

		private RetryPolicy retry = RetryPolicy.NONE;

		private Overlap overlap = Overlap.SKIP;

		private Misfire misfire = Misfire.RUN_ONCE;

		private Collection<String> tags = Set.of();

		private Duration initialDelay = Duration.ZERO;

		private boolean enabled = true;

		private boolean runOnStart;

		private String source;

		private Builder(String name, Schedule schedule, JobTask task) {
			this.name = name;
			this.schedule = schedule;
			this.task = task;
		}

		/**
		 * Replaces the schedule.
		 * @param schedule the schedule
		 * @return this builder
		 */
		public Builder schedule(Schedule schedule) {
			this.schedule = schedule;
			return this;
		}

		/**
		 * Sets the timeout of one attempt.
		 * @param timeout the timeout, or {@code null} for none
		 * @return this builder
		 */
		public Builder timeout(Duration timeout) {
			this.timeout = timeout;
			return this;
		}

		/**
		 * Sets the retry policy.
		 * @param retry the retry policy
		 * @return this builder
		 */
		public Builder retry(RetryPolicy retry) {
			this.retry = retry;
			return this;
		}

		/**
		 * Sets the overlap policy.
		 * @param overlap the overlap policy
		 * @return this builder
		 */
		public Builder overlap(Overlap overlap) {
			this.overlap = overlap;
			return this;
		}

		/**
		 * Sets the misfire policy.
		 * @param misfire the misfire policy
		 * @return this builder
		 */
		public Builder misfire(Misfire misfire) {
			this.misfire = misfire;
			return this;
		}

		/**
		 * Sets the tags.
		 * @param tags the tags
		 * @return this builder
		 */
		public Builder tags(Collection<String> tags) {
			this.tags = Objects.requireNonNull(tags, "tags must not be null");
			return this;
		}

		/**
		 * Sets the tags.
		 * @param tags the tags
		 * @return this builder
		 * @since 0.1.0
		 */
		public Builder tags(String... tags) {
			return tags(java.util.List.of(Objects.requireNonNull(tags, "tags must not be null")));
		}

		/**
		 * Sets the minimum time between registration and the first fire.
		 * @param initialDelay the initial delay
		 * @return this builder
		 */
		public Builder initialDelay(Duration initialDelay) {
			this.initialDelay = Objects.requireNonNull(initialDelay, "initialDelay must not be null");
			return this;
		}

		/**
		 * Sets whether the job fires.
		 * @param enabled whether the job is enabled
		 * @return this builder
		 */
		public Builder enabled(boolean enabled) {
			this.enabled = enabled;
			return this;
		}

		/**
		 * Sets whether an instance that starts runs the job at once when no instance ran
		 * it since its previous scheduled time ({@link JobDefinition#runOnStart()}).
		 * @param runOnStart whether the job runs on start
		 * @return this builder
		 * @since 0.1.0
		 */
		public Builder runOnStart(boolean runOnStart) {
			this.runOnStart = runOnStart;
			return this;
		}

		/**
		 * Sets where the job was declared, for messages.
		 * @param source a description of the declaration
		 * @return this builder
		 */
		public Builder source(String source) {
			this.source = source;
			return this;
		}

		/**
		 * Builds the definition.
		 * @return the definition
		 * @throws IllegalArgumentException if the name or a duration is not valid
		 */
		public JobDefinition build() {
			return new JobDefinition(this);
		}

	}

}
