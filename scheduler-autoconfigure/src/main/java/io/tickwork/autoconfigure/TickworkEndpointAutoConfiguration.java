package io.tickwork.autoconfigure;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.tickwork.JobScheduler;
import io.tickwork.actuate.JobsEndpoint;
import io.tickwork.actuate.JobsEndpointWebExtension;

/**
 * Auto-configuration of the {@code jobs} actuator endpoint.
 *
 * @author Tickwork team
 * @since 0.1.0
 */
@AutoConfiguration(after = TickworkAutoConfiguration.class)
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean(JobScheduler.class)
@ConditionalOnBooleanProperty(name = "tickwork.enabled", matchIfMissing = true)
@ConditionalOnAvailableEndpoint(JobsEndpoint.class)
public final class TickworkEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	JobsEndpoint jobsEndpoint(JobScheduler scheduler) {
		return new JobsEndpoint(scheduler);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(WebEndpointResponse.class)
	static class WebExtensionConfiguration {

		@Bean
		@ConditionalOnMissingBean
		JobsEndpointWebExtension jobsEndpointWebExtension(JobsEndpoint endpoint) {
			return new JobsEndpointWebExtension(endpoint);
		}

	}

}
