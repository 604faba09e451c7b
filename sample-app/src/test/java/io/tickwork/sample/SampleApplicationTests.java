package io.tickwork.sample;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import io.tickwork.ExecutionStatus;
import io.tickwork.JobExecution;
import io.tickwork.JobInfo;
import io.tickwork.JobQueue;
import io.tickwork.JobRequest;
import io.tickwork.JobScheduler;
import io.tickwork.QueuedJob;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample app starts with its jobs registered and runs them.
 */
@SpringBootTest
class SampleApplicationTests {

	@Autowired
	private JobScheduler scheduler;

	@Autowired
	private JobQueue queue;

	@Test
	void registersEveryJob() {
		assertThat(this.scheduler.jobs()).extracting(JobInfo::name)
			.containsExactly("drain-queue", "external-sync", "health-check", "nightly-cleanup", "simulate-signup",
					"weekly-report");
		assertThat(this.scheduler.job("nightly-cleanup").retry().maxAttempts()).isEqualTo(2);
		assertThat(this.scheduler.job("weekly-report").zone()).hasToString("Europe/Paris");
	}

	@Test
	void runsQueuedJobsAndSendsDeclinedChargesToTheDeadLetter() throws Exception {
		String welcome = this.queue.enqueue("send-welcome", java.util.Map.of("email", "ann@example.com"));
		assertThat(this.queue.outcome(welcome, java.time.Duration.ofSeconds(10)).get().status())
			.isEqualTo(QueuedJob.Status.SUCCEEDED);
		String declined = this.queue.enqueue(JobRequest.of("charge-card",
				java.util.Map.of("email", "bob@example.com", "card", "4000", "cents", 990)));
		QueuedJob dead = this.queue.outcome(declined, java.time.Duration.ofSeconds(20)).get();
		assertThat(dead.status()).isEqualTo(QueuedJob.Status.DEAD);
		assertThat(dead.attempts()).isEqualTo(3);
		assertThat(dead.lastError()).isEqualTo("java.lang.IllegalStateException: card 4000 declined");
	}

	@Test
	void runsAJobOnDemand() throws Exception {
		JobExecution execution = this.scheduler.trigger("health-check").get(10, TimeUnit.SECONDS);
		assertThat(execution.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
		assertThat(this.scheduler.history("health-check", 10)).contains(execution);
	}

}
