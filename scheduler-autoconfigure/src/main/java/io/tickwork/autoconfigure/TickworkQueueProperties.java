package io.tickwork.autoconfigure;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Defaults of queued job types ({@code tickwork.queue.*}); each type's own settings live
 * under {@code tickwork.queues.<type>.*} ({@link QueueType}).
 *
 * @author Tickwork team
 * @since 0.2.0
 */
@ConfigurationProperties("tickwork.queue")
public class TickworkQueueProperties {

	/**
	 * Jobs of one type that run at once on one instance, for handlers that do not set it.
	 */
	private int concurrency = 4;

	/**
	 * Timeout of one attempt, for handlers that do not set it; none by default.
	 */
	private Duration timeout;

	/**
	 * Most ready and delayed jobs of one type; enqueueing more fails with a
	 * QueueFullException.
	 */
	private long capacity = 100_000;

	/**
	 * How long a succeeded or cancelled job is kept (readable, and its id taken); 0 drops
	 * it at once.
	 */
	private Duration retention = Duration.ofHours(1);

	/**
	 * Dead letter of each type.
	 */
	private final DeadLetter deadLetter = new DeadLetter();

	/**
	 * How often every handled type is checked for work without a notice, in case a
	 * notice was lost.
	 */
	private Duration pollInterval = Duration.ofSeconds(1);

	/**
	 * How often the outcome of a job that another instance runs is read while someone
	 * waits for it.
	 */
	private Duration outcomePollInterval = Duration.ofMillis(100);

	/**
	 * What the queues health contributor checks.
	 */
	private final Health health = new Health();

	public int getConcurrency() {
		return this.concurrency;
	}

	public void setConcurrency(int concurrency) {
		this.concurrency = concurrency;
	}

	public Duration getTimeout() {
		return this.timeout;
	}

	public void setTimeout(Duration timeout) {
		this.timeout = timeout;
	}

	public long getCapacity() {
		return this.capacity;
	}

	public void setCapacity(long capacity) {
		this.capacity = capacity;
	}

	public Duration getRetention() {
		return this.retention;
	}

	public void setRetention(Duration retention) {
		this.retention = retention;
	}

	public DeadLetter getDeadLetter() {
		return this.deadLetter;
	}

	public Duration getPollInterval() {
		return this.pollInterval;
	}

	public void setPollInterval(Duration pollInterval) {
		this.pollInterval = pollInterval;
	}

	public Health getHealth() {
		return this.health;
	}

	public Duration getOutcomePollInterval() {
		return this.outcomePollInterval;
	}

	public void setOutcomePollInterval(Duration outcomePollInterval) {
		this.outcomePollInterval = outcomePollInterval;
	}

	/**
	 * The queues health contributor.
	 */
	public static class Health {

		/**
		 * Longest a type may hold ready jobs without starting any before it is reported
		 * DOWN.
		 */
		private Duration maxWait = Duration.ofMinutes(5);

		public Duration getMaxWait() {
			return this.maxWait;
		}

		public void setMaxWait(Duration maxWait) {
			this.maxWait = maxWait;
		}

	}

	/**
	 * The dead letter of a type.
	 */
	public static class DeadLetter {

		/**
		 * Most jobs kept in the dead letter of one type; the oldest go first.
		 */
		private Integer max;

		/**
		 * How long a job stays in the dead letter.
		 */
		private Duration ttl;

		public Integer getMax() {
			return this.max;
		}

		public void setMax(Integer max) {
			this.max = max;
		}

		public Duration getTtl() {
			return this.ttl;
		}

		public void setTtl(Duration ttl) {
			this.ttl = ttl;
		}

	}

	/**
	 * The settings of one type, under {@code tickwork.queues.<type>.*}; each overrides
	 * its default and the handler's attribute.
	 */
	public static class QueueType {

		/**
		 * Most ready and delayed jobs of the type.
		 */
		private Long capacity;

		/**
		 * Jobs of the type that run at once on one instance.
		 */
		private Integer concurrency;

		/**
		 * Timeout of one attempt.
		 */
		private Duration timeout;

		/**
		 * Whether this instance runs jobs of the type.
		 */
		private Boolean enabled;

		/**
		 * How long a succeeded or cancelled job is kept.
		 */
		private Duration retention;

		/**
		 * Retries of the type.
		 */
		private final TickworkProperties.JobRetry retry = new TickworkProperties.JobRetry();

		/**
		 * Dead letter of the type.
		 */
		private final DeadLetter deadLetter = new DeadLetter();

		public Long getCapacity() {
			return this.capacity;
		}

		public void setCapacity(Long capacity) {
			this.capacity = capacity;
		}

		public Integer getConcurrency() {
			return this.concurrency;
		}

		public void setConcurrency(Integer concurrency) {
			this.concurrency = concurrency;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

		public Boolean getEnabled() {
			return this.enabled;
		}

		public void setEnabled(Boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getRetention() {
			return this.retention;
		}

		public void setRetention(Duration retention) {
			this.retention = retention;
		}

		public TickworkProperties.JobRetry getRetry() {
			return this.retry;
		}

		public DeadLetter getDeadLetter() {
			return this.deadLetter;
		}

	}

}
