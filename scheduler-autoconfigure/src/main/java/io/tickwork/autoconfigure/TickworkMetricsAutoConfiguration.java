package io.tickwork.autoconfigure;

import java.util.Set;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;

import io.tickwork.JobQueue;
import io.tickwork.JobScheduler;
import io.tickwork.metrics.JobExecutionMeterObservationHandler;
import io.tickwork.metrics.JobMetricsListener;
import io.tickwork.metrics.JobObservationListener;
import io.tickwork.metrics.JobTimingListener;
import io.tickwork.metrics.QueueMetrics;

/**
 * Auto-configuration of Tickwork's Micrometer metrics, when a {@link MeterRegistry} bean
 * exists: executions are timed through the Observation API when an
 * {@link ObservationRegistry} exists, with plain meters otherwise.
 *
 * @author Tickwork team
 * @since 0.1.0
 */
@AutoConfiguration(afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration",
		"org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnProperty(prefix = "tickwork", name = { "enabled", "metrics.enabled" }, havingValue = "true",
		matchIfMissing = true)
@EnableConfigurationProperties(TickworkProperties.class)
public final class TickworkMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	JobMetricsListener tickworkJobMetricsListener(MeterRegistry registry, ObjectProvider<JobScheduler> scheduler) {
		return new JobMetricsListener(registry, (job) -> scheduler.getObject().stats(job));
	}

	@Bean
	@ConditionalOnMissingBean
	QueueMetrics tickworkQueueMetrics(MeterRegistry registry, ObjectProvider<JobQueue> queue) {
		return new QueueMetrics(registry, () -> queue.getObject().queues());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(ObservationRegistry.class)
	@ConditionalOnBean(ObservationRegistry.class)
	static class ObservationConfiguration {

		@Bean
		@ConditionalOnMissingBean
		JobObservationListener tickworkJobObservationListener(ObservationRegistry registry) {
			return new JobObservationListener(registry);
		}

		/**
		 * Measures execution observations ahead of Boot's default meter handler, with the
		 * same meters and tags, honouring
		 * {@code management.metrics.observations.ignored-meters}.
		 */
		@Bean
		@Order(Ordered.HIGHEST_PRECEDENCE + 100)
		@ConditionalOnMissingBean
		JobExecutionMeterObservationHandler tickworkJobExecutionMeterObservationHandler(MeterRegistry registry,
				Environment environment) {
			Set<String> ignored = Binder.get(environment)
				.bind("management.metrics.observations.ignored-meters", Bindable.setOf(String.class))
				.orElse(Set.of());
			boolean longTaskTimer = ignored.stream()
				.noneMatch((meter) -> meter.replace("-", "_").equalsIgnoreCase("long_task_timer"));
			return new JobExecutionMeterObservationHandler(registry, longTaskTimer);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingBean(type = "io.micrometer.observation.ObservationRegistry")
	static class TimerConfiguration {

		@Bean
		@ConditionalOnMissingBean
		JobTimingListener tickworkJobTimingListener(MeterRegistry registry) {
			return new JobTimingListener(registry);
		}

	}

}
