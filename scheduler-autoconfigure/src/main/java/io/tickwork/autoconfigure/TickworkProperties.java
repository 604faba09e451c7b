package io.tickwork.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.context.properties.ConfigurationProperties;

import io.tickwork.Backoff;
import io.tickwork.Misfire;
import io.tickwork.Overlap;
import io.tickwork.RetryPolicy;

/**
 * Configuration properties of Tickwork, under {@code tickwork.*}.
 *
 * @author Tickwork team
 * @since 0.1.0
 */
@ConfigurationProperties("tickwork")
public class TickworkProperties implements InitializingBean {

	/**
	 * Whether to run scheduled jobs.
	 */
	private boolean enabled = true;

	/**
	 * Identifier of this instance in execution records and locks. Defaults to the host
	 * name and the process id.
	 */
	private String instanceId;

	/**
	 * Longest time the ticker sleeps between checks, which bounds how quickly changes made
	 * by other instances (such as a pause) are seen.
	 */
	private Duration tickInterval = Duration.ofSeconds(1);

	/**
	 * How long before its scheduled time a fire is claimed and handed to a worker, which
	 * then waits for that time, so that the hand-off does not make the start late. A fire
	 * never starts early. Zero hands fires out when due; at most 10ms. The default is not
	 * a whole number of milliseconds, so that the ticker does not wake when the fires due
	 * on a whole millisecond start.
	 */
	private Duration startLead = Duration.ofNanos(800_000);

	/**
	 * Maximum number of job executions that run at once on this instance.
	 */
	private int maxConcurrent = 16;

	/**
	 * How late a fire may be found before the job's misfire policy applies.
	 */
	private Duration misfireThreshold = Duration.ofSeconds(5);

	/**
	 * How late this instance asks for the fires of a job whose latest fire, as it asked
	 * for it, another instance had claimed: that instance claims them on time, and one
	 * late answer passes every fire it claimed meanwhile, so an instance that does not
	 * run a job asks the store about once per this delay instead of once per fire (for a
	 * job that fires more often, the delay grows up to {@code standby-max-delay}). A fire
	 * that no instance claimed on time (its instance stopped) runs up to this much late,
	 * or up to twice {@code standby-max-delay} for a job that fires more often. Zero asks
	 * for every fire on time. At most half the misfire threshold is used.
	 */
	private Duration standbyDelay = Duration.ofMillis(200);

	/**
	 * The longest time between two questions about a job on standby: while another
	 * instance keeps claiming the fires of a job that fires more often than the standby
	 * delay, the time doubles with each answer that says so, up to this. A fire of such a
	 * job whose instance stopped is taken over up to twice this late. Below
	 * {@code standby-delay} the delay does not grow; at most half the misfire threshold is
	 * used.
	 */
	private Duration standbyMaxDelay = Duration.ofSeconds(1);

	/**
	 * Where jobs' locks, state and history are kept: 'auto' uses Redis when a
	 * RedisConnectionFactory bean exists and memory otherwise.
	 */
	private Store store = Store.AUTO;

	private final Redis redis = new Redis();

	private final Shutdown shutdown = new Shutdown();

	private final Metrics metrics = new Metrics();

	private final Health health = new Health();

	private final Defaults defaults = new Defaults();

	private final History history = new History();

	/**
	 * Per-job overrides, by job name: cron, interval, fixed-delay, initial-delay, zone,
	 * timeout, enabled, run-on-start, overlap, misfire and retry.* (max-attempts, backoff, delay,
	 * multiplier, max-delay, jitter), each as the @ScheduledJob attribute of that name.
	 * They take precedence over the annotation and the defaults. Write a name with dots
	 * in brackets: tickwork.jobs[reports.weekly].interval=3h, or "[reports.weekly]" as a
	 * YAML key.
	 */
	private final Map<String, Job> jobs = new LinkedHashMap<>();

	/**
	 * Checks the values that binding alone cannot check.
	 * @throws IllegalStateException naming the property and its value
	 */
	@Override
	public void afterPropertiesSet() {
		check(this.maxConcurrent >= 1, "tickwork.max-concurrent", this.maxConcurrent, "must be at least 1");
		check(isPositive(this.tickInterval), "tickwork.tick-interval", this.tickInterval, "must be positive");
		check(isPositive(this.misfireThreshold), "tickwork.misfire-threshold", this.misfireThreshold,
				"must be positive");
		check(this.standbyDelay != null && !this.standbyDelay.isNegative(), "tickwork.standby-delay",
				this.standbyDelay, "must not be negative");
		check(this.standbyMaxDelay != null && !this.standbyMaxDelay.isNegative(), "tickwork.standby-max-delay",
				this.standbyMaxDelay, "must not be negative");
		check(this.startLead != null && !this.startLead.isNegative() && this.startLead.compareTo(Duration.ofMillis(10)) <= 0,
				"tickwork.start-lead", this.startLead, "must be between 0 and 10ms");
		Duration await = this.shutdown.getAwaitTermination();
		check(await != null && !await.isNegative(), "tickwork.shutdown.await-termination", await,
				"must not be negative");
		check(this.history.getMaxPerJob() >= 1, "tickwork.history.max-per-job", this.history.getMaxPerJob(),
				"must be at least 1");
		check(isPositive(this.history.getTtl()), "tickwork.history.ttl", this.history.getTtl(), "must be positive");
		check(isPositive(this.redis.getLockTtl()), "tickwork.redis.lock-ttl", this.redis.getLockTtl(), "must be positive");
		check(isPositive(this.redis.getCommandTimeout()) && this.redis.getCommandTimeout().compareTo(this.redis.getLockTtl()) < 0,
				"tickwork.redis.command-timeout", this.redis.getCommandTimeout(),
				"must be positive and shorter than tickwork.redis.lock-ttl (" + this.redis.getLockTtl() + ")");
		check(this.health.getFailureThreshold() >= 1, "tickwork.health.failure-threshold",
				this.health.getFailureThreshold(), "must be at least 1");
		check(this.redis.getFireWindow() >= 1, "tickwork.redis.fire-window", this.redis.getFireWindow(), "must be at least 1");
		check(this.redis.getBufferSize() >= 1, "tickwork.redis.buffer-size", this.redis.getBufferSize(), "must be at least 1");
		check(this.redis.getKeyPrefix() != null && !this.redis.getKeyPrefix().contains("{") && !this.redis.getKeyPrefix().contains("}"),
				"tickwork.redis.key-prefix", this.redis.getKeyPrefix(), "must not contain '{' or '}'");
		check(this.defaults.getTimeout() == null || isPositive(this.defaults.getTimeout()), "tickwork.defaults.timeout",
				this.defaults.getTimeout(), "must be positive");
		if (this.defaults.getZone() != null) {
			try {
				java.time.ZoneId.of(this.defaults.getZone());
			}
			catch (java.time.DateTimeException ex) {
				check(false, "tickwork.defaults.zone", this.defaults.getZone(), ex.getMessage());
			}
		}
		Retry retry = this.defaults.getRetry();
		try {
			new RetryPolicy(retry.getMaxAttempts(), retry.getBackoff(), retry.getDelay(), retry.getMultiplier(),
					retry.getMaxDelay(), retry.getJitter());
		}
		catch (RuntimeException ex) {
			throw new IllegalStateException("Invalid 'tickwork.defaults.retry.*' properties: " + ex.getMessage(), ex);
		}
	}

	private static boolean isPositive(Duration duration) {
		return duration != null && !duration.isNegative() && !duration.isZero();
	}

	private static void check(boolean valid, String property, Object value, String problem) {
		if (!valid) {
			throw new IllegalStateException("Invalid property '" + property + "' with value '" + value + "': " + problem);
		}
	}

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getInstanceId() {
		return this.instanceId;
	}

	public void setInstanceId(String instanceId) {
		this.instanceId = instanceId;
	}

	public Duration getTickInterval() {
		return this.tickInterval;
	}

	public void setTickInterval(Duration tickInterval) {
		this.tickInterval = tickInterval;
	}

	public Duration getStartLead() {
		return this.startLead;
	}

	public void setStartLead(Duration startLead) {
		this.startLead = startLead;
	}

	public int getMaxConcurrent() {
		return this.maxConcurrent;
	}

	public void setMaxConcurrent(int maxConcurrent) {
		this.maxConcurrent = maxConcurrent;
	}

	public Duration getMisfireThreshold() {
		return this.misfireThreshold;
	}

	public void setMisfireThreshold(Duration misfireThreshold) {
		this.misfireThreshold = misfireThreshold;
	}

	public Duration getStandbyDelay() {
		return this.standbyDelay;
	}

	public void setStandbyDelay(Duration standbyDelay) {
		this.standbyDelay = standbyDelay;
	}

	public Duration getStandbyMaxDelay() {
		return this.standbyMaxDelay;
	}

	public void setStandbyMaxDelay(Duration standbyMaxDelay) {
		this.standbyMaxDelay = standbyMaxDelay;
	}

	public Store getStore() {
		return this.store;
	}

	public void setStore(Store store) {
		this.store = store;
	}

	public Redis getRedis() {
		return this.redis;
	}

	public Shutdown getShutdown() {
		return this.shutdown;
	}

	public Metrics getMetrics() {
		return this.metrics;
	}

	public Health getHealth() {
		return this.health;
	}

	/**
	 * Micrometer settings.
	 */
	public static class Metrics {

		/**
		 * Whether to record job metrics when a MeterRegistry exists.
		 */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/**
	 * Health indicator settings.
	 */
	public static class Health {

		/**
		 * Number of failed executions in a row that makes a job, and the 'jobs' health,
		 * DOWN.
		 */
		private int failureThreshold = 3;

		public int getFailureThreshold() {
			return this.failureThreshold;
		}

		public void setFailureThreshold(int failureThreshold) {
			this.failureThreshold = failureThreshold;
		}

	}

	/**
	 * Where jobs' locks, state and history are kept.
	 */
	public enum Store {

		/**
		 * Redis when a RedisConnectionFactory bean exists, memory otherwise.
		 */
		AUTO,

		/**
		 * Redis; startup fails without a RedisConnectionFactory.
		 */
		REDIS,

		/**
		 * This JVM's memory: one instance only.
		 */
		MEMORY

	}

	/**
	 * Redis store settings.
	 */
	public static class Redis {

		/**
		 * Prefix of every Redis key Tickwork writes.
		 */
		private String keyPrefix = "tickwork:";

		/**
		 * Time to live of a fire's lock; it is renewed every third of it while the job
		 * runs. A pause of an instance longer than this can let another instance take the
		 * lock.
		 */
		private Duration lockTtl = Duration.ofSeconds(30);

		/**
		 * Deadline of each Redis command, whatever the connection factory's timeout; must
		 * be shorter than the lock's time to live.
		 */
		private Duration commandTimeout = Duration.ofSeconds(2);

		/**
		 * How many of the latest claimed fires of each job Redis remembers. Fires are
		 * claimed in order: a fire older than the latest claimed one is refused, as
		 * claimed if it is among these or older than all of them, and recorded as
		 * superseded otherwise, by the first instance that asks, for the unclaimed fires
		 * from it up to the latest claimed one (as many such ranges are remembered).
		 */
		private int fireWindow = 16;

		/**
		 * Maximum number of execution records kept in memory while Redis is unreachable;
		 * older ones are dropped, counted and logged.
		 */
		private int bufferSize = 10_000;

		/**
		 * Longest wait of the Redis client between two attempts to reconnect, so that
		 * Tickwork finds Redis back within about this much after an outage (Lettuce's own
		 * backoff grows to 30 s). Applied to the client resources Spring Boot configures;
		 * zero leaves Lettuce's backoff as it is.
		 */
		private Duration maxReconnectDelay = Duration.ofSeconds(1);

		/**
		 * Number of hash tags the jobs' keys are spread over (1 to 1024). On a Redis
		 * Cluster the jobs that share a tag share script calls, and a tag lives on one
		 * master: the default puts one on each master of three; set it to the number of
		 * masters of a larger cluster. Changing it moves every job's keys: state, pause
		 * and history start afresh.
		 */
		private int slotGroups = 3;

		/**
		 * Whether Lettuce's command observations (the lettuce timers and spans) include
		 * Tickwork's own script calls. Off by default: each call serves many jobs and is
		 * sent by a background thread, so that it would cost an observation per call and
		 * fill the application's Redis metrics and traces with Tickwork's plumbing.
		 */
		private boolean observeCommands;

		public boolean isObserveCommands() {
			return this.observeCommands;
		}

		public void setObserveCommands(boolean observeCommands) {
			this.observeCommands = observeCommands;
		}

		public int getSlotGroups() {
			return this.slotGroups;
		}

		public void setSlotGroups(int slotGroups) {
			this.slotGroups = slotGroups;
		}

		public String getKeyPrefix() {
			return this.keyPrefix;
		}

		public void setKeyPrefix(String keyPrefix) {
			this.keyPrefix = keyPrefix;
		}

		public Duration getLockTtl() {
			return this.lockTtl;
		}

		public void setLockTtl(Duration lockTtl) {
			this.lockTtl = lockTtl;
		}

		public Duration getCommandTimeout() {
			return this.commandTimeout;
		}

		public void setCommandTimeout(Duration commandTimeout) {
			this.commandTimeout = commandTimeout;
		}

		public int getFireWindow() {
			return this.fireWindow;
		}

		public void setFireWindow(int fireWindow) {
			this.fireWindow = fireWindow;
		}

		public int getBufferSize() {
			return this.bufferSize;
		}

		public Duration getMaxReconnectDelay() {
			return this.maxReconnectDelay;
		}

		public void setMaxReconnectDelay(Duration maxReconnectDelay) {
			this.maxReconnectDelay = maxReconnectDelay;
		}

		public void setBufferSize(int bufferSize) {
			this.bufferSize = bufferSize;
		}

	}

	public Defaults getDefaults() {
		return this.defaults;
	}

	public History getHistory() {
		return this.history;
	}

	public Map<String, Job> getJobs() {
		return this.jobs;
	}

	/**
	 * Graceful shutdown settings.
	 */
	public static class Shutdown {

		/**
		 * How long shutdown waits for running executions before interrupting them.
		 */
		private Duration awaitTermination = Duration.ofSeconds(30);

		public Duration getAwaitTermination() {
			return this.awaitTermination;
		}

		public void setAwaitTermination(Duration awaitTermination) {
			this.awaitTermination = awaitTermination;
		}

	}

	/**
	 * Settings applied to every job that does not set them itself.
	 */
	public static class Defaults {

		/**
		 * Time zone of cron expressions. Defaults to the JVM's zone.
		 */
		private String zone;

		/**
		 * Maximum duration of one attempt. No timeout when not set.
		 */
		private Duration timeout;

		/**
		 * What to do when a fire comes while the previous one still runs.
		 */
		private Overlap overlap = Overlap.SKIP;

		/**
		 * What to do with fires found later than the misfire threshold.
		 */
		private Misfire misfire = Misfire.RUN_ONCE;

		private final Retry retry = new Retry();

		public String getZone() {
			return this.zone;
		}

		public void setZone(String zone) {
			this.zone = zone;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

		public Overlap getOverlap() {
			return this.overlap;
		}

		public void setOverlap(Overlap overlap) {
			this.overlap = overlap;
		}

		public Misfire getMisfire() {
			return this.misfire;
		}

		public void setMisfire(Misfire misfire) {
			this.misfire = misfire;
		}

		public Retry getRetry() {
			return this.retry;
		}

	}

	/**
	 * Default retry policy.
	 */
	public static class Retry {

		/**
		 * Maximum number of attempts per fire, the first one included.
		 */
		private int maxAttempts = 1;

		/**
		 * How the delay between attempts grows.
		 */
		private Backoff backoff = Backoff.EXPONENTIAL;

		/**
		 * Delay before the second attempt.
		 */
		private Duration delay = Duration.ofSeconds(1);

		/**
		 * Factor applied to the delay after each attempt with exponential backoff.
		 */
		private double multiplier = 2.0;

		/**
		 * Upper bound of a single delay.
		 */
		private Duration maxDelay = Duration.ofMinutes(5);

		/**
		 * Random spread of each delay, as a fraction between 0 and 1.
		 */
		private double jitter = 0.0;

		public int getMaxAttempts() {
			return this.maxAttempts;
		}

		public void setMaxAttempts(int maxAttempts) {
			this.maxAttempts = maxAttempts;
		}

		public Backoff getBackoff() {
			return this.backoff;
		}

		public void setBackoff(Backoff backoff) {
			this.backoff = backoff;
		}

		public Duration getDelay() {
			return this.delay;
		}

		public void setDelay(Duration delay) {
			this.delay = delay;
		}

		public double getMultiplier() {
			return this.multiplier;
		}

		public void setMultiplier(double multiplier) {
			this.multiplier = multiplier;
		}

		public Duration getMaxDelay() {
			return this.maxDelay;
		}

		public void setMaxDelay(Duration maxDelay) {
			this.maxDelay = maxDelay;
		}

		public double getJitter() {
			return this.jitter;
		}

		public void setJitter(double jitter) {
			this.jitter = jitter;
		}

	}

	/**
	 * Execution history settings.
	 */
	public static class History {

		/**
		 * Whether to record executions.
		 */
		private boolean enabled = true;

		/**
		 * Maximum number of executions kept per job.
		 */
		private int maxPerJob = 100;

		/**
		 * How long an execution is kept.
		 */
		private Duration ttl = Duration.ofDays(7);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public int getMaxPerJob() {
			return this.maxPerJob;
		}

		public void setMaxPerJob(int maxPerJob) {
			this.maxPerJob = maxPerJob;
		}

		public Duration getTtl() {
			return this.ttl;
		}

		public void setTtl(Duration ttl) {
			this.ttl = ttl;
		}

	}

	/**
	 * Overrides for one job. Unset values keep what the annotation or the defaults say.
	 */
	public static class Job {

		/**
		 * Cron expression; replaces the job's schedule.
		 */
		private String cron;

		/**
		 * Fixed-rate interval; replaces the job's schedule.
		 */
		private Duration interval;

		/**
		 * Whether the interval counts from the end of the previous execution.
		 */
		private Boolean fixedDelay;

		/**
		 * Minimum time between startup and the first fire of an interval job.
		 */
		private Duration initialDelay;

		/**
		 * Time zone of the cron expression.
		 */
		private String zone;

		/**
		 * Maximum duration of one attempt.
		 */
		private Duration timeout;

		/**
		 * Whether the job fires.
		 */
		private Boolean enabled;

		/**
		 * Whether an instance that starts runs the job at once when no instance ran it
		 * since its previous scheduled time.
		 */
		private Boolean runOnStart;

		/**
		 * What to do when a fire comes while the previous one still runs.
		 */
		private Overlap overlap;

		/**
		 * What to do with fires found later than the misfire threshold.
		 */
		private Misfire misfire;

		private final JobRetry retry = new JobRetry();

		public String getCron() {
			return this.cron;
		}

		public void setCron(String cron) {
			this.cron = cron;
		}

		public Duration getInterval() {
			return this.interval;
		}

		public void setInterval(Duration interval) {
			this.interval = interval;
		}

		public Boolean getFixedDelay() {
			return this.fixedDelay;
		}

		public void setFixedDelay(Boolean fixedDelay) {
			this.fixedDelay = fixedDelay;
		}

		public Duration getInitialDelay() {
			return this.initialDelay;
		}

		public void setInitialDelay(Duration initialDelay) {
			this.initialDelay = initialDelay;
		}

		public String getZone() {
			return this.zone;
		}

		public void setZone(String zone) {
			this.zone = zone;
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

		public Boolean getRunOnStart() {
			return this.runOnStart;
		}

		public void setRunOnStart(Boolean runOnStart) {
			this.runOnStart = runOnStart;
		}

		public Overlap getOverlap() {
			return this.overlap;
		}

		public void setOverlap(Overlap overlap) {
			this.overlap = overlap;
		}

		public Misfire getMisfire() {
			return this.misfire;
		}

		public void setMisfire(Misfire misfire) {
			this.misfire = misfire;
		}

		public JobRetry getRetry() {
			return this.retry;
		}

	}

	/**
	 * Retry overrides for one job.
	 */
	public static class JobRetry {

		/**
		 * Maximum number of attempts per fire, the first one included.
		 */
		private Integer maxAttempts;

		/**
		 * How the delay between attempts grows.
		 */
		private Backoff backoff;

		/**
		 * Delay before the second attempt.
		 */
		private Duration delay;

		/**
		 * Factor applied to the delay after each attempt with exponential backoff.
		 */
		private Double multiplier;

		/**
		 * Upper bound of a single delay.
		 */
		private Duration maxDelay;

		/**
		 * Random spread of each delay, as a fraction between 0 and 1.
		 */
		private Double jitter;

		public Integer getMaxAttempts() {
			return this.maxAttempts;
		}

		public void setMaxAttempts(Integer maxAttempts) {
			this.maxAttempts = maxAttempts;
		}

		public Backoff getBackoff() {
			return this.backoff;
		}

		public void setBackoff(Backoff backoff) {
			this.backoff = backoff;
		}

		public Duration getDelay() {
			return this.delay;
		}

		public void setDelay(Duration delay) {
			this.delay = delay;
		}

		public Double getMultiplier() {
			return this.multiplier;
		}

		public void setMultiplier(Double multiplier) {
			this.multiplier = multiplier;
		}

		public Duration getMaxDelay() {
			return this.maxDelay;
		}

		public void setMaxDelay(Duration maxDelay) {
			this.maxDelay = maxDelay;
		}

		public Double getJitter() {
			return this.jitter;
		}

		public void setJitter(Double jitter) {
			this.jitter = jitter;
		}

	}

}
