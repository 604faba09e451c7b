package io.tickwork.autoconfigure;

import java.lang.management.ManagementFactory;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.jmx.JmxEndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jmx.JmxAutoConfiguration;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.tickwork.ScheduledJob;
import io.tickwork.actuate.JobsEndpoint;
import io.tickwork.actuate.JobsEndpointWebExtension;
import io.tickwork.actuate.JobsHealthIndicator;
import io.tickwork.metrics.JobMetricsListener;
import io.tickwork.metrics.JobObservationListener;
import io.tickwork.metrics.JobTimingListener;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link TickworkMetricsAutoConfiguration},
 * {@link TickworkEndpointAutoConfiguration} and {@link TickworkHealthAutoConfiguration}.
 */
class TickworkOperationsAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TickworkAutoConfiguration.class, TickworkMetricsAutoConfiguration.class,
				TickworkEndpointAutoConfiguration.class, TickworkHealthAutoConfiguration.class));

	@Test
	void metricsAreAbsentWithoutAMeterRegistry() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(JobMetricsListener.class)
			.doesNotHaveBean(JobTimingListener.class)
			.doesNotHaveBean(JobObservationListener.class));
	}

	@Test
	void plainMetersAreUsedWithoutAnObservationRegistry() {
		this.contextRunner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.run((context) -> assertThat(context).hasSingleBean(JobMetricsListener.class)
				.hasSingleBean(JobTimingListener.class)
				.doesNotHaveBean(JobObservationListener.class));
	}

	@Test
	void observationsAreUsedWhenAnObservationRegistryExists() {
		this.contextRunner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withBean(ObservationRegistry.class, ObservationRegistry::create)
			.run((context) -> assertThat(context).hasSingleBean(JobMetricsListener.class)
				.hasSingleBean(JobObservationListener.class)
				.doesNotHaveBean(JobTimingListener.class));
	}

	@Test
	void metricsCanBeSwitchedOff() {
		this.contextRunner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withPropertyValues("tickwork.metrics.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(JobMetricsListener.class));
	}

	@Test
	void metricsBackOffToAUserListener() {
		this.contextRunner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withBean("userMetrics", JobMetricsListener.class, () -> new JobMetricsListener(new SimpleMeterRegistry()))
			.run((context) -> assertThat(context).hasSingleBean(JobMetricsListener.class).hasBean("userMetrics"));
	}

	@Test
	void endpointIsAbsentUnlessExposed() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(JobsEndpoint.class));
	}

	@Test
	void endpointIsPresentWhenExposedOverTheWeb() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=jobs")
			.run((context) -> assertThat(context).hasSingleBean(JobsEndpoint.class)
				.hasSingleBean(JobsEndpointWebExtension.class));
	}

	@Test
	void endpointIsAbsentWithoutActuator() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=jobs")
			.withClassLoader(new FilteredClassLoader(Endpoint.class))
			.run((context) -> assertThat(context).doesNotHaveBean(JobsEndpoint.class));
	}

	@Test
	void endpointBacksOffToAUserEndpoint() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=jobs")
			.withBean("userEndpoint", JobsEndpoint.class, () -> new JobsEndpoint(null))
			.run((context) -> assertThat(context).hasSingleBean(JobsEndpoint.class).hasBean("userEndpoint"));
	}

	@Test
	void endpointWorksOverJmxWithoutAWebServer() {
		this.contextRunner
			.withConfiguration(AutoConfigurations.of(JmxAutoConfiguration.class, EndpointAutoConfiguration.class,
					JmxEndpointAutoConfiguration.class))
			.withPropertyValues("spring.jmx.enabled=true", "management.endpoints.jmx.exposure.include=jobs",
					"spring.jmx.default-domain=tickwork-test")
			.withUserConfiguration(JmxJobs.class)
			.run((context) -> {
				MBeanServer server = context.getBean(MBeanServer.class);
				ObjectName name = server.queryNames(new ObjectName("*:type=Endpoint,name=Jobs,*"), null)
					.iterator()
					.next();
				Object jobs = server.invoke(name, "jobs", new Object[0], new String[0]);
				assertThat(jobs.toString()).contains("name=jmx-job");
				server.invoke(name, "act", new Object[] { "jmx-job", "pause" },
						new String[] { String.class.getName(), String.class.getName() });
				assertThat(context.getBean(io.tickwork.JobScheduler.class).job("jmx-job").paused()).isTrue();
			});
		assertThat(ManagementFactory.getPlatformMBeanServer()).isNotNull();
	}

	@Test
	void healthIndicatorIsPresentAndCanBeDisabled() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(JobsHealthIndicator.class)
			.hasBean("jobsHealthIndicator"));
		this.contextRunner.withPropertyValues("management.health.jobs.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(JobsHealthIndicator.class));
		this.contextRunner.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
			.run((context) -> assertThat(context).doesNotHaveBean(JobsHealthIndicator.class));
	}

	static class JmxJobs {

		@ScheduledJob(name = "jmx-job", cron = "@daily")
		void run() {
		}

	}

}
