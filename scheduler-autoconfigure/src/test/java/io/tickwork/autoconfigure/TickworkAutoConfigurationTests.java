package io.tickwork.autoconfigure;

import java.time.Duration;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.boot.LazyInitializationBeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.context.ApplicationListener;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.context.event.EventListener;

import io.tickwork.Backoff;
import io.tickwork.ExecutionStatus;
import io.tickwork.JobContext;
import io.tickwork.JobEvent;
import io.tickwork.JobExecution;
import io.tickwork.JobInfo;
import io.tickwork.JobListener;
import io.tickwork.ClusterLocks;
import io.tickwork.JobScheduler;
import io.tickwork.Misfire;
import io.tickwork.Overlap;
import io.tickwork.Retry;
import io.tickwork.RetryPolicy;
import io.tickwork.ScheduledJob;
import io.tickwork.SkipReason;
import io.tickwork.engine.TickworkEngine;
import io.tickwork.history.InMemoryJobHistory;
import io.tickwork.history.JobHistory;
import io.tickwork.lock.InMemoryJobLock;
import io.tickwork.lock.JobLock;
import io.tickwork.state.InMemoryJobStateStore;
import io.tickwork.state.JobStateStore;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link TickworkAutoConfiguration}.
 */
@ExtendWith(OutputCaptureExtension.class)
class TickworkAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TickworkAutoConfiguration.class));

	@Test
	void configuresTheEngineWithInMemoryStores() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(TickworkEngine.class)
				.hasSingleBean(JobScheduler.class)
				.hasSingleBean(TickworkLifecycle.class)
				.hasSingleBean(TickworkExecutor.class)
				.hasSingleBean(ApplicationEventJobListener.class);
			assertThat(context.getBean(JobLock.class)).isInstanceOf(InMemoryJobLock.class);
			assertThat(context.getBean(JobHistory.class)).isInstanceOf(InMemoryJobHistory.class);
			assertThat(context.getBean(JobStateStore.class)).isInstanceOf(InMemoryJobStateStore.class);
			assertThat(context.getBean(TickworkEngine.class).isRunning()).isTrue();
			ClusterLocks locks = context.getBean(ClusterLocks.class);
			assertThat(locks.ttl()).isEqualTo(Duration.ofSeconds(30));
			assertThat(locks.tryRun("setup", () -> assertThat(locks.tryAcquire("setup")).isEmpty())).isTrue();
		});
	}

	@Test
	void backsOffToUserStoresAndExecutor() {
		this.contextRunner.withUserConfiguration(UserBeansConfiguration.class).run((context) -> {
			assertThat(context.getBean(JobStateStore.class)).isSameAs(context.getBean("userState"));
			assertThat(context.getBean(JobLock.class)).isSameAs(context.getBean("userLock"));
			assertThat(context.getBean(JobHistory.class)).isSameAs(context.getBean("userHistory"));
			assertThat(context.getBean(TickworkExecutor.class)).isSameAs(context.getBean("userExecutor"));
		});
	}

	@Test
	void backsOffToAUserEngine() {
		this.contextRunner.withUserConfiguration(UserEngineConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(TickworkEngine.class);
			assertThat(context.getBean(TickworkEngine.class).instanceId()).isEqualTo("user-engine");
		});
	}

	@Test
	void whenDisabledKeepsAJobSchedulerThatNeverFiresButRunsAJobOnDemand() {
		this.contextRunner.withPropertyValues("tickwork.enabled=false", "tickwork.store=redis")
			.withUserConfiguration(ReportJobs.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				JobScheduler scheduler = context.getBean(JobScheduler.class);
				assertThat(context.getBean(JobLock.class)).isInstanceOf(InMemoryJobLock.class);
				assertThat(scheduler.nextFireTimes("weekly-report", 1)).isEmpty();
				assertThat(scheduler.jobs()).extracting(JobInfo::name).contains("weekly-report");
				Thread.sleep(300);
				assertThat(scheduler.history("weekly-report", 10)).isEmpty();
				JobExecution run = scheduler.trigger("weekly-report").get(5, TimeUnit.SECONDS);
				assertThat(run.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
				assertThat(scheduler.history("weekly-report", 10)).containsExactly(run);
			});
	}

	@Test
	void historyCanBeTurnedOff() {
		this.contextRunner.withPropertyValues("tickwork.history.enabled=false")
			.run((context) -> assertThat(context.getBean(JobHistory.class)).isSameAs(JobHistory.NONE));
	}

	@Test
	void propertiesBind() {
		this.contextRunner
			.withPropertyValues("tickwork.instance-id=worker-1", "tickwork.tick-interval=250ms",
					"tickwork.max-concurrent=4", "tickwork.misfire-threshold=1m", "tickwork.start-lead=2ms", "tickwork.standby-delay=1s",
					"tickwork.standby-max-delay=3s",
					"tickwork.shutdown.await-termination=10s", "tickwork.defaults.zone=Europe/Paris",
					"tickwork.defaults.timeout=2m", "tickwork.defaults.overlap=wait", "tickwork.defaults.misfire=skip",
					"tickwork.defaults.retry.max-attempts=4", "tickwork.defaults.retry.backoff=linear",
					"tickwork.defaults.retry.delay=3s", "tickwork.defaults.retry.multiplier=1.5",
					"tickwork.defaults.retry.max-delay=1m", "tickwork.defaults.retry.jitter=0.25",
					"tickwork.history.max-per-job=20", "tickwork.history.ttl=1d")
			.run((context) -> {
				TickworkProperties properties = context.getBean(TickworkProperties.class);
				assertThat(properties.getTickInterval()).isEqualTo(Duration.ofMillis(250));
				assertThat(properties.getMaxConcurrent()).isEqualTo(4);
				assertThat(properties.getMisfireThreshold()).isEqualTo(Duration.ofMinutes(1));
				assertThat(properties.getStartLead()).isEqualTo(Duration.ofMillis(2));
				assertThat(properties.getStandbyDelay()).isEqualTo(Duration.ofSeconds(1));
				assertThat(properties.getStandbyMaxDelay()).isEqualTo(Duration.ofSeconds(3));
				assertThat(properties.getShutdown().getAwaitTermination()).isEqualTo(Duration.ofSeconds(10));
				assertThat(properties.getDefaults().getOverlap()).isEqualTo(Overlap.WAIT);
				assertThat(properties.getDefaults().getMisfire()).isEqualTo(Misfire.SKIP);
				assertThat(properties.getDefaults().getRetry().getJitter()).isEqualTo(0.25);
				assertThat(properties.getHistory().getTtl()).isEqualTo(Duration.ofDays(1));
				assertThat(context.getBean(TickworkEngine.class).instanceId()).isEqualTo("worker-1");
			});
	}

	@Test
	void invalidPropertiesFailStartupNamingTheProperty() {
		this.contextRunner.withPropertyValues("tickwork.max-concurrent=0").run((context) -> assertThat(context)
			.getFailure()
			.rootCause()
			.hasMessage("Invalid property 'tickwork.max-concurrent' with value '0': must be at least 1"));
		this.contextRunner.withPropertyValues("tickwork.defaults.zone=Mars/Olympus").run((context) -> assertThat(context)
			.getFailure()
			.rootCause()
			.hasMessageStartingWith("Invalid property 'tickwork.defaults.zone' with value 'Mars/Olympus'"));
		this.contextRunner.withPropertyValues("tickwork.start-lead=20ms").run((context) -> assertThat(context)
			.getFailure()
			.rootCause()
			.hasMessage("Invalid property 'tickwork.start-lead' with value 'PT0.02S': must be between 0 and 10ms"));
		this.contextRunner.withPropertyValues("tickwork.standby-delay=-1s").run((context) -> assertThat(context)
			.getFailure()
			.rootCause()
			.hasMessage("Invalid property 'tickwork.standby-delay' with value 'PT-1S': must not be negative"));
		this.contextRunner.withPropertyValues("tickwork.standby-max-delay=-5ms").run((context) -> assertThat(context)
			.getFailure()
			.rootCause()
			.hasMessage("Invalid property 'tickwork.standby-max-delay' with value 'PT-0.005S': must not be negative"));
	}

	@Test
	void annotatedMethodsBecomeJobs() {
		this.contextRunner.withUserConfiguration(ReportJobs.class).run((context) -> {
			JobScheduler scheduler = context.getBean(JobScheduler.class);
			assertThat(scheduler.jobs()).extracting(JobInfo::name)
				.containsExactly("health-check", "sync-crm-data", "weekly-report");
			JobInfo report = scheduler.job("weekly-report");
			assertThat(report.schedule()).isEqualTo("cron 0 9 * * MON");
			assertThat(report.zone()).isEqualTo(ZoneId.of("Europe/Paris"));
			assertThat(report.timeout()).isEqualTo(Duration.ofMinutes(30));
			assertThat(report.retry()).isEqualTo(new RetryPolicy(5, Backoff.FIXED, Duration.ofSeconds(2), 2.0,
					Duration.ofMinutes(5), 0.0));
			assertThat(report.tags()).containsExactly("reports");
			JobInfo health = scheduler.job("health-check");
			assertThat(health.schedule()).isEqualTo("every 30s");
			assertThat(health.zone()).isNull();
			assertThat(health.overlap()).isEqualTo(Overlap.ALLOW);
			assertThat(scheduler.job("sync-crm-data").schedule()).isEqualTo("every 1m after completion");
		});
	}

	@Test
	void placeholdersAndDefaultsAreResolved() {
		this.contextRunner.withUserConfiguration(PlaceholderJobs.class)
			.withPropertyValues("app.cleanup.cron=0 3 * * *", "app.cleanup.name=nightly-cleanup",
					"tickwork.defaults.timeout=45s", "tickwork.defaults.retry.max-attempts=3",
					"tickwork.defaults.zone=Asia/Tokyo")
			.run((context) -> {
				JobInfo job = context.getBean(JobScheduler.class).job("nightly-cleanup");
				assertThat(job.schedule()).isEqualTo("cron 0 3 * * *");
				assertThat(job.zone()).isEqualTo(ZoneId.of("Asia/Tokyo"));
				assertThat(job.timeout()).isEqualTo(Duration.ofSeconds(45));
				assertThat(job.retry().maxAttempts()).isEqualTo(3);
				assertThat(job.retry().delay()).isEqualTo(Duration.ofSeconds(1));
			});
	}

	@Test
	void runOnStartComesFromTheAnnotationOrAProperty() {
		this.contextRunner.withUserConfiguration(StartJobs.class)
			.withPropertyValues("tickwork.jobs.monthly.run-on-start=true")
			.run((context) -> {
				JobScheduler scheduler = context.getBean(JobScheduler.class);
				org.awaitility.Awaitility.await()
					.atMost(Duration.ofSeconds(10))
					.until(() -> scheduler.history("weekly", 5).size() == 1 && scheduler.history("monthly", 5).size() == 1
							&& scheduler.history("weekly", 5).get(0).status().isFinished());
				assertThat(scheduler.history("weekly", 5).get(0).trigger()).isEqualTo(JobExecution.Trigger.START);
				assertThat(scheduler.history("monthly", 5).get(0).trigger()).isEqualTo(JobExecution.Trigger.START);
				assertThat(scheduler.history("daily", 5)).isEmpty();
			});
	}

	@Test
	void runOnStartOnAFixedDelayJobFailsNamingTheMethod() {
		this.contextRunner.withUserConfiguration(ReportJobs.class)
			.withPropertyValues("tickwork.jobs.sync-crm-data.run-on-start=true")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("sync-crm-data")
				.hasMessageContaining("runOnStart needs a schedule with fire times of its own"));
	}

	@Test
	void perJobPropertiesOverrideTheAnnotation() {
		this.contextRunner.withUserConfiguration(ReportJobs.class)
			.withPropertyValues("tickwork.jobs.weekly-report.cron=0 8 * * MON-FRI",
					"tickwork.jobs.weekly-report.retry.max-attempts=2", "tickwork.jobs.weekly-report.timeout=5m",
					"tickwork.jobs.health-check.enabled=false", "tickwork.jobs.sync-crm-data.interval=10s",
					"tickwork.jobs.sync-crm-data.fixed-delay=false")
			.run((context) -> {
				JobScheduler scheduler = context.getBean(JobScheduler.class);
				JobInfo report = scheduler.job("weekly-report");
				assertThat(report.schedule()).isEqualTo("cron 0 8 * * MON-FRI");
				assertThat(report.zone()).isEqualTo(ZoneId.of("Europe/Paris"));
				assertThat(report.retry().maxAttempts()).isEqualTo(2);
				assertThat(report.retry().backoff()).isEqualTo(Backoff.FIXED);
				assertThat(report.timeout()).isEqualTo(Duration.ofMinutes(5));
				assertThat(scheduler.job("health-check").enabled()).isFalse();
				assertThat(scheduler.job("sync-crm-data").schedule()).isEqualTo("every 10s");
			});
	}

	@Test
	void perJobPropertiesReachJobNamesWithDots() {
		this.contextRunner.withUserConfiguration(DottedJobs.class)
			.withPropertyValues("tickwork.jobs.reports.weekly-report.cron=0 7 * * *")
			.run((context) -> assertThat(context.getBean(JobScheduler.class).job("reports.weekly-report").schedule())
				.isEqualTo("cron 0 7 * * *"));
	}

	@Test
	void perJobPropertiesInBracketsReachJobNamesWithDotsAndAreNotReportedAsUnknown(CapturedOutput output) {
		this.contextRunner.withUserConfiguration(DottedJobs.class)
			.withPropertyValues("tickwork.jobs[reports.weekly-report].interval=3h")
			.run((context) -> {
				assertThat(context.getBean(JobScheduler.class).job("reports.weekly-report").schedule())
					.isEqualTo("every 3h");
				assertThat(output).doesNotContain("configure no @ScheduledJob");
			});
	}

	@Test
	void aJobConfiguredInBothFormsIsRefusedRatherThanLosingOne() {
		this.contextRunner.withUserConfiguration(DottedJobs.class)
			.withPropertyValues("tickwork.jobs[reports.weekly-report].interval=3h",
					"tickwork.jobs.reports.weekly-report.timeout=5m")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessage("Job 'reports.weekly-report' is configured both as 'tickwork.jobs[reports.weekly-report].*' "
						+ "and as 'tickwork.jobs.reports.weekly-report.*'; keep one of them, preferably "
						+ "'tickwork.jobs[reports.weekly-report].*'"));
	}

	@Test
	void perJobPropertiesApplyToJobsDefinedInCode() {
		this.contextRunner.withPropertyValues("tickwork.jobs.code-job.interval=5m").run((context) -> {
			JobInfo job = context.getBean(JobScheduler.class)
				.schedule("code-job", io.tickwork.schedule.Schedule.every(Duration.ofSeconds(1)), (ctx) -> {
				});
			assertThat(job.schedule()).isEqualTo("every 5m");
		});
	}

	@Test
	void perJobPropertiesFromEnvironmentVariablesAndSourcesAddedLaterApplyToJobsDefinedInCode() {
		this.contextRunner.run((context) -> {
			JobScheduler scheduler = context.getBean(JobScheduler.class);
			MutablePropertySources sources = context.getEnvironment().getPropertySources();
			sources.addFirst(new SystemEnvironmentPropertySource("test-systemEnvironment",
					Map.of("TICKWORK_JOBS_ENVJOB_INTERVAL", "7m")));
			assertThat(scheduler.schedule("envjob", io.tickwork.schedule.Schedule.every(Duration.ofSeconds(1)), (ctx) -> {
			}).schedule()).isEqualTo("every 7m");
			assertThat(scheduler.schedule("later-job", io.tickwork.schedule.Schedule.every(Duration.ofSeconds(1)),
					(ctx) -> {
					}).schedule()).isEqualTo("every 1s");
			Map<String, Object> later = new HashMap<>();
			sources.addFirst(new MapPropertySource("later", later));
			later.put("tickwork.jobs[later-job].interval", "9m");
			assertThat(scheduler.schedule("later-job", io.tickwork.schedule.Schedule.every(Duration.ofSeconds(1)),
					(ctx) -> {
					}).schedule()).as("a property set after startup").isEqualTo("every 9m");
		});
	}

	@Test
	void startupSaysWhichStoreIsInUse(CapturedOutput output) {
		ch.qos.logback.classic.Logger engineLog = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
			.getLogger(io.tickwork.engine.TickworkEngine.class);
		ch.qos.logback.classic.Level level = engineLog.getLevel();
		engineLog.setLevel(ch.qos.logback.classic.Level.INFO);
		try {
			this.contextRunner.withUserConfiguration(ReportJobs.class)
				.run((context) -> assertThat(output).contains("; store: memory (this instance only: nothing is shared "
						+ "with other instances or kept across restarts)"));
		}
		finally {
			engineLog.setLevel(level);
		}
	}

	@Test
	void perJobPropertiesThatNameNoJobAreReported(CapturedOutput output) {
		this.contextRunner.withUserConfiguration(ReportJobs.class)
			.withPropertyValues("tickwork.jobs.weekly-reprot.enabled=false")
			.run((context) -> assertThat(output).contains("Properties [tickwork.jobs.weekly-reprot.enabled] configure no @ScheduledJob"));
	}

	@Test
	void invalidPerJobPropertiesFailStartup() {
		this.contextRunner.withUserConfiguration(ReportJobs.class)
			.withPropertyValues("tickwork.jobs.weekly-report.cron=0 0 30 2 *")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("Invalid per-job configuration of job 'weekly-report'")
				.hasMessageContaining("property 'tickwork.jobs.weekly-report.cron' with value '0 0 30 2 *'")
				.hasMessageContaining("no date ever matches"));
	}

	@Test
	void lazyInitializationDoesNotHideJobs() {
		this.contextRunner.withUserConfiguration(ReportJobs.class)
			.withInitializer((context) -> context
				.addBeanFactoryPostProcessor(new LazyInitializationBeanFactoryPostProcessor()))
			.run((context) -> assertThat(context.getBean(JobScheduler.class).jobs()).hasSize(3));
	}

	@Test
	void lazyBeansAreRegisteredWhenTheyAreCreated() {
		this.contextRunner.withUserConfiguration(LazyJobs.class).run((context) -> {
			assertThat(context.getBean(JobScheduler.class).jobs()).isEmpty();
			context.getBean(LazyJob.class);
			assertThat(context.getBean(JobScheduler.class).jobs()).extracting(JobInfo::name).containsExactly("lazy-job");
		});
	}

	@Test
	void jobsRunAndPublishEventsAndCallListenerBeans() {
		this.contextRunner.withUserConfiguration(FastJob.class, EventsAndListeners.class).run((context) -> {
			FastJob job = context.getBean(FastJob.class);
			assertThat(job.ran.await(10, TimeUnit.SECONDS)).isTrue();
			EventsAndListeners events = context.getBean(EventsAndListeners.class);
			org.awaitility.Awaitility.await().until(() -> events.events.size() >= 2);
			assertThat(events.events).startsWith("Started fast", "Succeeded fast");
			assertThat(events.listened).contains("succeeded fast");
			// listeners of one event class, and of the payload event, as Spring publishes payloads
			assertThat(events.succeeded).contains("fast");
			assertThat(events.sources).isNotEmpty().allSatisfy((source) -> assertThat(source).isSameAs(context.getSourceApplicationContext()));
			// a manual run takes the job's lock: it is skipped if it meets a fire of the 100 ms
			// schedule still running, as README says, so ask again then
			JobExecution execution = context.getBean(JobScheduler.class).trigger("fast").get(5, TimeUnit.SECONDS);
			for (int i = 0; i < 10 && execution.status() == ExecutionStatus.SKIPPED; i++) {
				assertThat(execution.skipReason()).isIn(SkipReason.OVERLAP, SkipReason.LOCKED);
				execution = context.getBean(JobScheduler.class).trigger("fast").get(5, TimeUnit.SECONDS);
			}
			assertThat(execution.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
			assertThat(job.lastContextJob).isEqualTo("fast");
		});
	}

	@Test
	void customizersAreApplied() {
		this.contextRunner.withBean(TickworkEngineCustomizer.class, () -> (builder) -> builder.instanceId("customized"))
			.run((context) -> assertThat(context.getBean(TickworkEngine.class).instanceId()).isEqualTo("customized"));
	}

	@Test
	void platformThreadsAreUsedUnlessVirtualThreadsAreActive() {
		this.contextRunner.withPropertyValues("spring.threads.virtual.enabled=true")
			.run((context) -> assertThat(context).hasSingleBean(TickworkExecutor.class));
	}

	@Configuration(proxyBeanMethods = false)
	static class UserBeansConfiguration {

		@Bean
		JobStateStore userState() {
			return new InMemoryJobStateStore();
		}

		@Bean
		JobLock userLock(JobStateStore userState) {
			return new InMemoryJobLock(userState, java.time.Clock.systemUTC());
		}

		@Bean
		JobHistory userHistory() {
			return JobHistory.NONE;
		}

		@Bean
		TickworkExecutor userExecutor() {
			return new TickworkExecutor(Runnable::run, null);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserEngineConfiguration {

		@Bean
		TickworkEngine userEngine() {
			InMemoryJobStateStore state = new InMemoryJobStateStore();
			return TickworkEngine.builder()
				.executor(Runnable::run)
				.state(state)
				.lock(new InMemoryJobLock(state, java.time.Clock.systemUTC()))
				.history(JobHistory.NONE)
				.instanceId("user-engine")
				.build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ReportJobs {

		@ScheduledJob(cron = "0 9 * * MON", zone = "Europe/Paris", timeout = "30m", tags = "reports",
				retry = @Retry(maxAttempts = 5, backoff = Backoff.FIXED, delay = "2s"))
		void weeklyReport() {
		}

		@ScheduledJob(interval = "30s", initialDelay = "5s", overlap = Overlap.ALLOW)
		void healthCheck(JobContext context) {
		}

		@ScheduledJob(interval = "1m", fixedDelay = true)
		void syncCRMData() {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class StartJobs {

		@ScheduledJob(cron = "0 9 * * MON", runOnStart = true)
		void weekly() {
		}

		@ScheduledJob(cron = "0 0 1 * *")
		void monthly() {
		}

		@ScheduledJob(cron = "0 0 * * *")
		void daily() {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class PlaceholderJobs {

		@ScheduledJob(name = "${app.cleanup.name}", cron = "${app.cleanup.cron}")
		void cleanup() {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class DottedJobs {

		@ScheduledJob(name = "reports.weekly-report", cron = "0 9 * * MON")
		void report() {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class LazyJobs {

		@Bean
		@Lazy
		LazyJob lazyJob() {
			return new LazyJob();
		}

	}

	static class LazyJob {

		@ScheduledJob(cron = "@daily")
		void lazyJob() {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class FastJob {

		final CountDownLatch ran = new CountDownLatch(1);

		volatile String lastContextJob;

		@ScheduledJob(name = "fast", interval = "100ms")
		void fast(JobContext context) {
			this.lastContextJob = context.jobName();
			this.ran.countDown();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class EventsAndListeners {

		final List<String> events = new CopyOnWriteArrayList<>();

		final List<String> listened = new CopyOnWriteArrayList<>();

		final List<String> succeeded = new CopyOnWriteArrayList<>();

		final List<Object> sources = new CopyOnWriteArrayList<>();

		@EventListener
		void on(JobEvent event) {
			this.events.add(event.getClass().getSimpleName() + " " + event.execution().job());
		}

		@EventListener
		void onSucceeded(JobEvent.Succeeded event) {
			this.succeeded.add(event.execution().job());
		}

		@Bean
		ApplicationListener<PayloadApplicationEvent<JobEvent.Started>> startedListener() {
			return (event) -> this.sources.add(event.getSource());
		}

		@Bean
		JobListener recordingListener() {
			return new JobListener() {
				@Override
				public void onSucceeded(JobExecution execution) {
					EventsAndListeners.this.listened.add("succeeded " + execution.job());
				}
			};
		}

	}

}
