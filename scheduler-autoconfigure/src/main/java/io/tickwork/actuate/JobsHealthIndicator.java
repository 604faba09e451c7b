package io.tickwork.actuate;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

import io.tickwork.ExecutionStatus;
import io.tickwork.JobExecution;
import io.tickwork.JobInfo;
import io.tickwork.JobScheduler;
import io.tickwork.RetryPolicy;

/**
 * Health of Tickwork's jobs: DOWN when a job's last executions all failed (as many as
 * the failure threshold) or when a job runs past the longest its timeout and retries
 * allow; details give each unhealthy job's reason.
 *
 * @author Tickwork team
 * @since 0.1.0
 */
public class JobsHealthIndicator extends AbstractHealthIndicator {

	private final JobScheduler scheduler;

	private final int failureThreshold;

	private final Clock clock;

	/**
	 * Creates a new instance.
	 * @param scheduler the scheduler
	 * @param failureThreshold how many failed executions in a row make a job unhealthy
	 * @param clock the clock that measures how long executions run
	 */
	public JobsHealthIndicator(JobScheduler scheduler, int failureThreshold, Clock clock) {
		super("Jobs health check failed");
		this.scheduler = scheduler;
		this.failureThreshold = failureThreshold;
		this.clock = clock;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		Map<String, Object> unhealthy = new LinkedHashMap<>();
		int jobs = 0;
		for (JobInfo job : this.scheduler.jobs()) {
			jobs++;
			List<JobExecution> recent = this.scheduler.history(job.name(), this.failureThreshold * 5 + 5);
			String problem = problem(job, recent);
			if (problem != null) {
				unhealthy.put(job.name(), problem);
			}
		}
		(unhealthy.isEmpty() ? builder.up() : builder.down()).withDetail("jobs", jobs);
		if (!unhealthy.isEmpty()) {
			builder.withDetail("unhealthy", unhealthy);
		}
	}

	private String problem(JobInfo job, List<JobExecution> recent) {
		for (JobExecution execution : recent) {
			if (execution.status() == ExecutionStatus.RUNNING && job.timeout() != null) {
				Duration running = Duration.between(execution.startedAt(), this.clock.instant());
				Duration limit = longestRun(job.timeout(), job.retry());
				if (running.compareTo(limit) > 0) {
					return "execution " + execution.id() + " on " + execution.instanceId() + " has run for "
							+ running.toSeconds() + "s, past its timeout of " + job.timeout().toSeconds() + "s";
				}
			}
		}
		List<JobExecution> finished = recent.stream()
			.filter((execution) -> execution.status().isFinished() && execution.status() != ExecutionStatus.SKIPPED)
			.limit(this.failureThreshold)
			.toList();
		if (finished.size() == this.failureThreshold
				&& finished.stream().allMatch((execution) -> execution.status() != ExecutionStatus.SUCCEEDED)) {
			return "last " + this.failureThreshold + " execution(s) failed; latest: " + finished.get(0).status() + " "
					+ finished.get(0).errorMessage();
		}
		return null;
	}

	/** The longest an execution may take: every attempt at its timeout plus every retry delay. */
	private static Duration longestRun(Duration timeout, RetryPolicy retry) {
		Duration delays = retry.maxDelay().multipliedBy(retry.maxAttempts() - 1L);
		return timeout.multipliedBy(retry.maxAttempts()).plus(delays).plusSeconds(1);
	}

}
