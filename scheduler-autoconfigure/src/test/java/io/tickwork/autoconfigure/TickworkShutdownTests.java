package io.tickwork.autoconfigure;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import io.tickwork.ExecutionStatus;
import io.tickwork.JobExecution;
import io.tickwork.JobScheduler;
import io.tickwork.ScheduledJob;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that the context's shutdown waits for Tickwork as it waits for Spring's own
 * lifecycles: at most {@code spring.lifecycle.timeout-per-shutdown-phase}.
 */
@ExtendWith(OutputCaptureExtension.class)
class TickworkShutdownTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(LifecycleAutoConfiguration.class, TickworkAutoConfiguration.class))
		.withUserConfiguration(SlowJobs.class);

	@Test
	void thePhaseTimeoutBoundsTheStopAndTheStopSaysWhatItWaitsFor(CapturedOutput output) {
		Logger engineLog = (Logger) LoggerFactory.getLogger("io.tickwork.engine");
		Level level = engineLog.getLevel();
		engineLog.setLevel(Level.INFO);
		try {
			this.contextRunner
				.withPropertyValues("spring.lifecycle.timeout-per-shutdown-phase=1s",
						"tickwork.shutdown.await-termination=6s")
				.run((context) -> {
					SlowJobs jobs = context.getBean(SlowJobs.class);
					context.getBean(JobScheduler.class).trigger("slow");
					assertThat(jobs.started.await(10, TimeUnit.SECONDS)).isTrue();
					long start = System.nanoTime();
					((ConfigurableApplicationContext) context.getSourceApplicationContext()).close();
					Duration took = Duration.ofNanos(System.nanoTime() - start);
					assertThat(took).isLessThan(Duration.ofSeconds(4));
					assertThat(output).contains(
							"Tickwork waits up to 6s (shutdown timeout) for 1 running execution(s) to end, then interrupts them");
				});
		}
		finally {
			engineLog.setLevel(level);
		}
	}

	@Test
	void withinThePhaseTimeoutTheStopLetsRunningExecutionsEnd() {
		this.contextRunner
			.withPropertyValues("spring.lifecycle.timeout-per-shutdown-phase=10s",
					"tickwork.shutdown.await-termination=10s")
			.run((context) -> {
				SlowJobs jobs = context.getBean(SlowJobs.class);
				jobs.sleep = Duration.ofMillis(1500);
				var result = context.getBean(JobScheduler.class).trigger("slow");
				assertThat(jobs.started.await(10, TimeUnit.SECONDS)).isTrue();
				((ConfigurableApplicationContext) context.getSourceApplicationContext()).close();
				JobExecution execution = result.get(5, TimeUnit.SECONDS);
				assertThat(execution.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class SlowJobs {

		final CountDownLatch started = new CountDownLatch(1);

		volatile Duration sleep = Duration.ofSeconds(5);

		@ScheduledJob(name = "slow", interval = "1h", initialDelay = "1h")
		void slow() throws InterruptedException {
			this.started.countDown();
			Thread.sleep(this.sleep.toMillis());
		}

	}

}
