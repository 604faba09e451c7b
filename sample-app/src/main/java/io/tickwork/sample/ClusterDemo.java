package io.tickwork.sample;

import java.time.Clock;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.tickwork.JobScheduler;
import io.tickwork.autoconfigure.TickworkEngineCustomizer;
import io.tickwork.schedule.Schedule;

/**
 * A demonstration of cluster scheduling: {@code sample.cluster-demo.jobs=N} defines N
 * jobs in code that fire every second and count each fire in Redis, so that two runs of
 * one fire would show; {@code sample.clock-skew} shifts this instance's clock.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty("sample.cluster-demo.jobs")
class ClusterDemo {

	private static final Logger logger = LoggerFactory.getLogger(ClusterDemo.class);

	@Bean
	TickworkEngineCustomizer skewedClock(org.springframework.core.env.Environment environment) {
		Duration skew = environment.getProperty("sample.clock-skew", Duration.class, Duration.ZERO);
		return (builder) -> builder.clock(Clock.offset(Clock.systemUTC(), skew));
	}

	@Bean
	ApplicationRunner clusterDemoJobs(JobScheduler scheduler, ObjectProvider<StringRedisTemplate> redis,
			org.springframework.core.env.Environment environment) {
		return (ApplicationArguments args) -> {
			int jobs = environment.getRequiredProperty("sample.cluster-demo.jobs", Integer.class);
			String instance = environment.getProperty("tickwork.instance-id", "?");
			StringRedisTemplate template = redis.getObject();
			for (int i = 0; i < jobs; i++) {
				String name = "demo-" + i;
				scheduler.schedule(name, Schedule.every(Duration.ofSeconds(1), Duration.ZERO), (context) -> {
					long fire = context.scheduledTime().toEpochMilli();
					template.opsForValue().increment("sample:fires:{" + name + "}:" + fire);
					template.opsForHash().increment("sample:runs-by-instance", instance, 1);
				});
			}
			logger.info("Cluster demo: {} jobs firing every second on instance {}", jobs, instance);
		};
	}

}
