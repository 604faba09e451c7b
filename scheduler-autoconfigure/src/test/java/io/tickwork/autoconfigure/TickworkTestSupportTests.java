package io.tickwork.autoconfigure;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.tickwork.ExecutionStatus;
import io.tickwork.JobExecution;
import io.tickwork.JobScheduler;
import io.tickwork.ScheduledJob;
import io.tickwork.engine.TickworkEngine;
import io.tickwork.test.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The testing recipe README documents: a clock the test moves, no ticker thread, the
 * engine's threads replaced by the test's own, so that moving time and calling
 * {@link TickworkEngine#tick()} runs what became due before {@code tick()} returns.
 */
class TickworkTestSupportTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TickworkAutoConfiguration.class))
		.withUserConfiguration(TestClockConfiguration.class, Jobs.class);

	@Test
	void movingTheClockAndTickingRunsTheDueFiresOnTheTestsThread() {
		this.contextRunner.run((context) -> {
			MutableClock clock = context.getBean(MutableClock.class);
			TickworkEngine engine = context.getBean(TickworkEngine.class);
			JobScheduler scheduler = context.getBean(JobScheduler.class);
			Jobs jobs = context.getBean(Jobs.class);
			engine.tick();
			assertThat(jobs.runs).isZero();
			clock.set(Instant.parse("2026-12-03T09:05:00Z"));
			engine.tick();
			assertThat(jobs.runs).isEqualTo(1);
			assertThat(jobs.thread).isSameAs(Thread.currentThread());
			JobExecution execution = scheduler.history("report", 1).get(0);
			assertThat(execution.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
			assertThat(execution.scheduledTime()).isEqualTo("2026-12-03T09:05:00Z");
			clock.advance(Duration.ofMinutes(10));
			engine.tick();
			assertThat(jobs.runs).isEqualTo(2);
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class TestClockConfiguration {

		@Bean
		MutableClock testClock() {
			return new MutableClock(Instant.parse("2026-12-03T09:00:01Z"));
		}

		@Bean
		TickworkExecutor testThreads() {
			return new TickworkExecutor(Runnable::run, null);
		}

		@Bean
		TickworkEngineCustomizer testTime(MutableClock clock) {
			return (builder) -> builder.clock(clock).ticker(false).startLead(Duration.ZERO);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Jobs {

		volatile int runs;

		volatile Thread thread;

		@ScheduledJob(name = "report", cron = "*/5 * * * *", zone = "UTC", misfire = io.tickwork.Misfire.RUN_ONCE)
		void report() {
			this.runs++;
			this.thread = Thread.currentThread();
		}

	}

}
