package io.tickwork.sample;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import io.tickwork.ExecutionStatus;
import io.tickwork.JobExecution;
import io.tickwork.JobInfo;
import io.tickwork.JobScheduler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample app starts with its jobs registered and runs them.
 */
@SpringBootTest
class SampleApplicationTests {

	@Autowired
	private JobScheduler scheduler;

	@Test
	void registersEveryJob() {
		assertThat(this.scheduler.jobs()).extracting(JobInfo::name)
			.containsExactly("drain-queue", "external-sync", "health-check", "nightly-cleanup", "weekly-report");
		assertThat(this.scheduler.job("nightly-cleanup").retry().maxAttempts()).isEqualTo(2);
		assertThat(this.scheduler.job("weekly-report").zone()).hasToString("Europe/Paris");
	}

	@Test
	void runsAJobOnDemand() throws Exception {
		JobExecution execution = this.scheduler.trigger("health-check").get(10, TimeUnit.SECONDS);
		assertThat(execution.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
		assertThat(this.scheduler.history("health-check", 10)).contains(execution);
	}

}
