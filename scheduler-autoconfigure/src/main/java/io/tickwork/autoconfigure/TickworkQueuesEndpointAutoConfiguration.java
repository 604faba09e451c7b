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

import io.tickwork.JobQueue;
import io.tickwork.actuate.QueuesEndpoint;
import io.tickwork.actuate.QueuesEndpointWebExtension;
import io.tickwork.history.JobHistory;

/**
 * Auto-configuration of the {@code queues} actuator endpoint.
 *
 * @author Tickwork team
 * @since 0.2.0
 */
@AutoConfiguration(after = TickworkQueueAutoConfiguration.class)
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean(JobQueue.class)
@ConditionalOnBooleanProperty(name = "tickwork.enabled", matchIfMissing = true)
@ConditionalOnAvailableEndpoint(QueuesEndpoint.class)
public final class TickworkQueuesEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	QueuesEndpoint queuesEndpoint(JobQueue queue, JobHistory history) {
		return new QueuesEndpoint(queue, history);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnClass(WebEndpointResponse.class)
	QueuesEndpointWebExtension queuesEndpointWebExtension(QueuesEndpoint endpoint) {
		return new QueuesEndpointWebExtension(endpoint);
	}

}
