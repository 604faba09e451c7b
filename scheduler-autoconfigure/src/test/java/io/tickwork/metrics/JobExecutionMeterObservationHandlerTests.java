package io.tickwork.metrics;

import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import io.micrometer.common.KeyValue;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationFilter;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.tickwork.ExecutionStatus;
import io.tickwork.JobExecution;
import io.tickwork.autoconfigure.TickworkAutoConfiguration;
import io.tickwork.autoconfigure.TickworkMetricsAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link JobExecutionMeterObservationHandler} makes the meters that Micrometer's default
 * handler makes, keeps them per job, and comes first in Boot's meter handler group.
 */
class JobExecutionMeterObservationHandlerTests {

	private static final Instant START = Instant.parse("2026-01-05T10:00:00Z");

	private int executions;

	@Test
	void metersAreTheDefaultHandlersAndKeptPerJob() {
		MeterRegistry ours = new SimpleMeterRegistry();
		JobExecutionMeterObservationHandler handler = new JobExecutionMeterObservationHandler(ours);
		MeterRegistry theirs = new SimpleMeterRegistry();
		JobObservationListener first = listener(ours, handler, null);
		JobObservationListener second = listener(theirs, null, null);
		for (JobObservationListener listener : new JobObservationListener[] { first, second }) {
			run(listener, "report", ExecutionStatus.SUCCEEDED, null);
			run(listener, "report", ExecutionStatus.SUCCEEDED, null);
			run(listener, "report", ExecutionStatus.FAILED, new IllegalStateException("down"));
			run(listener, "report", ExecutionStatus.TIMED_OUT, null);
			run(listener, "cleanup", ExecutionStatus.SUCCEEDED, null);
		}
		assertThat(meters(ours)).isEqualTo(meters(theirs)).contains(
				"tickwork.job.execution{error=IllegalStateException,exception=IllegalStateException,job=report,outcome=failure}=1",
				"tickwork.job.execution{error=none,exception=none,job=report,outcome=success}=2",
				"tickwork.job.execution{error=none,exception=none,job=report,outcome=timeout}=1",
				"tickwork.job.execution.active{job=report}=0");
		assertThat(handler.jobsKept()).isEqualTo(2);
		Timer succeeded = ours.get("tickwork.job.execution").tags("job", "report", "outcome", "success").timer();
		assertThat(succeeded.totalTime(java.util.concurrent.TimeUnit.NANOSECONDS)).isPositive();
	}

	@Test
	void keyValuesAddedByAFilterAreTaggedAsTheDefaultHandlerTagsThem() {
		ObservationFilter region = (context) -> context.addLowCardinalityKeyValue(KeyValue.of("region", "eu"));
		MeterRegistry ours = new SimpleMeterRegistry();
		MeterRegistry theirs = new SimpleMeterRegistry();
		run(listener(ours, new JobExecutionMeterObservationHandler(ours), region), "report", ExecutionStatus.SUCCEEDED,
				null);
		run(listener(theirs, null, region), "report", ExecutionStatus.SUCCEEDED, null);
		assertThat(meters(ours)).isEqualTo(meters(theirs))
			.contains("tickwork.job.execution{error=none,exception=none,job=report,outcome=success,region=eu}=1");
	}

	@Test
	void longTaskTimerCanBeLeftOut() {
		MeterRegistry ours = new SimpleMeterRegistry();
		run(listener(ours, new JobExecutionMeterObservationHandler(ours, false), null), "report",
				ExecutionStatus.SUCCEEDED, null);
		assertThat(meters(ours)).containsExactly("tickwork.job.execution{error=none,exception=none,job=report,outcome=success}=1");
	}

	@Test
	void bootMeasuresExecutionsWithItFirst() {
		contextRunner().run((context) -> {
			JobObservationListener listener = context.getBean(JobObservationListener.class);
			run(listener, "report", ExecutionStatus.SUCCEEDED, null);
			assertThat(context.getBean(JobExecutionMeterObservationHandler.class).jobsKept()).isEqualTo(1);
			assertThat(meters(context.getBean(MeterRegistry.class))).contains(
					"tickwork.job.execution{error=none,exception=none,job=report,outcome=success}=1",
					"tickwork.job.execution.active{job=report}=0");
		});
	}

	@Test
	void bootsIgnoredLongTaskTimerIsHonoured() {
		contextRunner().withPropertyValues("management.metrics.observations.ignored-meters=long-task-timer")
			.run((context) -> {
				run(context.getBean(JobObservationListener.class), "report", ExecutionStatus.SUCCEEDED, null);
				assertThat(meters(context.getBean(MeterRegistry.class)))
					.contains("tickwork.job.execution{error=none,exception=none,job=report,outcome=success}=1")
					.noneMatch((meter) -> meter.startsWith("tickwork.job.execution.active"));
			});
	}

	private static ApplicationContextRunner contextRunner() {
		return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class,
				MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
				SimpleMetricsExportAutoConfiguration.class, TickworkAutoConfiguration.class,
				TickworkMetricsAutoConfiguration.class));
	}

	/** A listener whose registry measures with ours ahead of the default handler, as Boot groups them. */
	private static JobObservationListener listener(MeterRegistry meters, JobExecutionMeterObservationHandler ours,
			ObservationFilter filter) {
		ObservationRegistry registry = ObservationRegistry.create();
		DefaultMeterObservationHandler fallback = new DefaultMeterObservationHandler(meters);
		registry.observationConfig()
			.observationHandler((ours != null)
					? new ObservationHandler.FirstMatchingCompositeObservationHandler(ours, fallback) : fallback);
		if (filter != null) {
			registry.observationConfig().observationFilter(filter);
		}
		return new JobObservationListener(registry);
	}

	private void run(JobObservationListener listener, String job, ExecutionStatus status, Throwable error) {
		JobExecution started = new JobExecution("e" + (++this.executions), job, START, START, null,
				ExecutionStatus.RUNNING, 1, null, "test", this.executions, JobExecution.Trigger.SCHEDULE);
		listener.onStarted(started);
		JobExecution finished = started.finish(status, START.plusMillis(5), 1,
				(error != null) ? error.getMessage() : null);
		switch (status) {
			case SUCCEEDED -> listener.onSucceeded(finished);
			case FAILED -> listener.onFailed(finished, error);
			case TIMED_OUT -> listener.onTimedOut(finished);
			default -> listener.onInterrupted(finished);
		}
	}

	/** Each meter of the registry's tickwork.job.execution* as name{tags}=count. */
	private static Set<String> meters(MeterRegistry registry) {
		return registry.getMeters()
			.stream()
			.filter((meter) -> meter.getId().getName().startsWith("tickwork.job.execution"))
			.map((meter) -> meter.getId().getName()
					+ meter.getId().getTags().stream().map((tag) -> tag.getKey() + "=" + tag.getValue())
						.collect(Collectors.joining(",", "{", "}"))
					+ "=" + count(meter))
			.collect(Collectors.toCollection(TreeSet::new));
	}

	private static long count(Meter meter) {
		if (meter instanceof Timer timer) {
			return timer.count();
		}
		return ((io.micrometer.core.instrument.LongTaskTimer) meter).activeTasks();
	}

}
