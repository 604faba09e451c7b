package io.tickwork.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import io.tickwork.ExecutionStatus;
import io.tickwork.JobExecution;
import io.tickwork.QueueInfo;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link QueueMetrics}.
 */
class QueueMetricsTests {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final QueueMetrics metrics = new QueueMetrics(this.registry,
			() -> List.of(new QueueInfo("mail", 3, 2, 1, 4, false, true)));

	private static JobExecution attempt(ExecutionStatus status, JobExecution.Trigger trigger, String job) {
		Instant start = Instant.parse("2026-12-04T10:00:00Z");
		return new JobExecution("j#1", job, start, start, start.plusMillis(25), status, 1, null, "me", 1, trigger);
	}

	@Test
	void countsEnqueuesWaitsOutcomesAndDeadLettersByType() {
		this.metrics.enqueued("mail");
		this.metrics.enqueued("mail");
		this.metrics.waited("mail", Duration.ofMillis(3));
		this.metrics.onSucceeded(attempt(ExecutionStatus.SUCCEEDED, JobExecution.Trigger.QUEUE, "queue:mail"));
		this.metrics.onRetrying(attempt(ExecutionStatus.FAILED, JobExecution.Trigger.QUEUE, "queue:mail"),
				new IllegalStateException(), Duration.ofSeconds(1));
		this.metrics.onFailed(attempt(ExecutionStatus.FAILED, JobExecution.Trigger.QUEUE, "queue:mail"),
				new IllegalStateException());
		this.metrics.onSucceeded(attempt(ExecutionStatus.SUCCEEDED, JobExecution.Trigger.SCHEDULE, "report"));
		this.metrics.deadLettered("mail");
		assertThat(this.registry.get(QueueMetrics.ENQUEUED).tag("type", "mail").counter().count()).isEqualTo(2);
		assertThat(this.registry.get(QueueMetrics.WAIT).tag("type", "mail").timer().count()).isEqualTo(1);
		assertThat(this.registry.get(QueueMetrics.EXECUTIONS).tag("type", "mail").tag("outcome", "success").timer()
			.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(25);
		assertThat(this.registry.get(QueueMetrics.EXECUTIONS).tag("outcome", "retried").timer().count()).isEqualTo(1);
		assertThat(this.registry.get(QueueMetrics.EXECUTIONS).tag("outcome", "failure").timer().count()).isEqualTo(1);
		assertThat(this.registry.find(QueueMetrics.EXECUTIONS).tag("type", "report").timer()).isNull();
		assertThat(this.registry.get(QueueMetrics.DEAD_LETTERED).tag("type", "mail").counter().count()).isEqualTo(1);
		assertThat(this.registry.get(QueueMetrics.DEPTH).tag("type", "mail").tag("state", "ready").gauge().value())
			.isEqualTo(3);
		assertThat(this.registry.get(QueueMetrics.DEPTH).tag("type", "mail").tag("state", "dead").gauge().value())
			.isEqualTo(4);
	}

}
