package io.tickwork.actuate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

import io.tickwork.JobExecution;
import io.tickwork.JobQueue;
import io.tickwork.QueueInfo;
import io.tickwork.history.JobHistory;
import io.tickwork.queue.QueueEngine;

/**
 * Health of queued job types: DOWN while a type's dead letter grows (it holds more jobs
 * than at the previous check) or while a type has ready jobs but none of its jobs started
 * within the longest wait; details give each unhealthy type's reason.
 *
 * @author Tickwork team
 * @since 0.2.0
 */
public class QueuesHealthIndicator extends AbstractHealthIndicator {

	private final JobQueue queue;

	private final JobHistory history;

	private final Duration maxWait;

	private final Clock clock;

	private final Map<String, Long> deadSeen = new ConcurrentHashMap<>();

	/**
	 * Creates a new instance.
	 * @param queue the queue
	 * @param history the history of attempts
	 * @param maxWait the longest a type may hold ready jobs without starting any
	 * @param clock the clock
	 */
	public QueuesHealthIndicator(JobQueue queue, JobHistory history, Duration maxWait, Clock clock) {
		super("Queues health check failed");
		this.queue = queue;
		this.history = history;
		this.maxWait = maxWait;
		this.clock = clock;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		Map<String, Object> unhealthy = new LinkedHashMap<>();
		List<QueueInfo> queues = this.queue.queues();
		for (QueueInfo info : queues) {
			String problem = problem(info);
			if (problem != null) {
				unhealthy.put(info.type(), problem);
			}
		}
		(unhealthy.isEmpty() ? builder.up() : builder.down()).withDetail("queues", queues.size());
		if (!unhealthy.isEmpty()) {
			builder.withDetail("unhealthy", unhealthy);
		}
	}

	private String problem(QueueInfo info) {
		Long before = this.deadSeen.put(info.type(), info.dead());
		if (before != null && info.dead() > before) {
			return "dead letter grew from " + before + " to " + info.dead() + " job(s) since the last check";
		}
		if (info.ready() > 0 && !info.paused()) {
			List<JobExecution> latest = this.history.recent(QueueEngine.historyName(info.type()), 1);
			Instant now = this.clock.instant();
			Instant lastStart = latest.isEmpty() ? null : latest.get(0).startedAt();
			if (lastStart == null || Duration.between(lastStart, now).compareTo(this.maxWait) > 0) {
				return info.ready() + " job(s) ready but none started "
						+ ((lastStart != null) ? "since " + lastStart : "yet") + " (longest wait "
						+ this.maxWait.toSeconds() + "s)";
			}
		}
		return null;
	}

}
