package io.tickwork.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.tickwork.JobContext;
import io.tickwork.JobHandler;
import io.tickwork.JobQueue;
import io.tickwork.JobRequest;
import io.tickwork.QueuedJob;
import io.tickwork.Retry;
import io.tickwork.queue.HandlerDefinition;
import io.tickwork.queue.InMemoryQueueStore;
import io.tickwork.queue.QueueEngine;
import io.tickwork.queue.QueueStore;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link TickworkQueueAutoConfiguration}: handlers found on beans, their
 * attributes and per-type properties, and every bad declaration named.
 */
class TickworkQueueAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(JacksonAutoConfiguration.class, TickworkAutoConfiguration.class,
					TickworkQueueAutoConfiguration.class));

	record WelcomeMail(String to) {
	}

	static class Mailer {

		final List<String> sent = new CopyOnWriteArrayList<>();

		@JobHandler(value = "send-email", timeout = "${mail.timeout:30s}", retry = @Retry(maxAttempts = 5),
				concurrency = "2")
		void send(WelcomeMail mail, JobContext context) {
			this.sent.add(mail.to() + " " + context.jobName() + " " + context.attempt());
		}

		@JobHandler
		void rebuildIndex() {
			this.sent.add("index");
		}

		@JobHandler
		void audit(JobContext context) {
			this.sent.add("audit " + context.jobId());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class MailerConfiguration {

		@Bean
		Mailer mailer() {
			return new Mailer();
		}

	}

	@Test
	void handlersRunJobsEnqueuedThroughTheQueue() {
		this.contextRunner.withUserConfiguration(MailerConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(JobQueue.class);
			assertThat(context.getBean(QueueStore.class)).isInstanceOf(InMemoryQueueStore.class);
			QueueEngine engine = context.getBean(QueueEngine.class);
			assertThat(engine.handlers()).extracting(HandlerDefinition::type)
				.containsExactlyInAnyOrder("send-email", "rebuild-index", "audit");
			HandlerDefinition send = engine.handlers()
				.stream()
				.filter((handler) -> handler.type().equals("send-email"))
				.findFirst()
				.orElseThrow();
			assertThat(send.timeout()).isEqualTo(Duration.ofSeconds(30));
			assertThat(send.retry().maxAttempts()).isEqualTo(5);
			assertThat(send.concurrency()).isEqualTo(2);
			assertThat(send.source()).isEqualTo("bean 'mailer' method Mailer.send()");
			JobQueue queue = context.getBean(JobQueue.class);
			String id = queue.enqueue("send-email", new WelcomeMail("ann@example.com"));
			QueuedJob done = queue.outcome(id, Duration.ofSeconds(5)).get();
			assertThat(done.status()).isEqualTo(QueuedJob.Status.SUCCEEDED);
			assertThat(queue.get(id).orElseThrow().payload()).isEqualTo("{\"to\":\"ann@example.com\"}");
			queue.outcome(queue.enqueue("rebuild-index", null), Duration.ofSeconds(5)).get();
			String audit = queue.enqueue(JobRequest.of("audit", null).id("audit-1"));
			queue.outcome(audit, Duration.ofSeconds(5)).get();
			assertThat(context.getBean(Mailer.class).sent).containsExactly("ann@example.com send-email 1", "index",
					"audit audit-1");
		});
	}

	@Test
	void perTypePropertiesOverrideTheAnnotation() {
		this.contextRunner.withUserConfiguration(MailerConfiguration.class)
			.withPropertyValues("tickwork.queues.send-email.concurrency=7", "tickwork.queues.send-email.timeout=2m",
					"tickwork.queues.send-email.retry.max-attempts=9", "tickwork.queues.send-email.enabled=false",
					"tickwork.queues.send-email.capacity=3", "tickwork.queue.concurrency=11")
			.run((context) -> {
				QueueEngine engine = context.getBean(QueueEngine.class);
				HandlerDefinition send = engine.handlers()
					.stream()
					.filter((handler) -> handler.type().equals("send-email"))
					.findFirst()
					.orElseThrow();
				assertThat(send.concurrency()).isEqualTo(7);
				assertThat(send.timeout()).isEqualTo(Duration.ofMinutes(2));
				assertThat(send.retry().maxAttempts()).isEqualTo(9);
				assertThat(send.enabled()).isFalse();
				assertThat(engine.handlers()
					.stream()
					.filter((handler) -> handler.type().equals("audit"))
					.findFirst()
					.orElseThrow()
					.concurrency()).isEqualTo(11);
				JobQueue queue = context.getBean(JobQueue.class);
				for (int i = 0; i < 3; i++) {
					queue.enqueue("send-email", new WelcomeMail("x" + i));
				}
				assertThat(queue.tryEnqueue(JobRequest.of("send-email", new WelcomeMail("y")))).isFalse();
			});
	}

	static class BadHandlers {

		@JobHandler("ok")
		void two(String a, String b) {
		}

		@JobHandler("bad type!")
		void badType() {
		}

		@JobHandler(value = "returns", concurrency = "0")
		String returns() {
			return "";
		}

	}

	@Test
	void everyBadHandlerOfABeanIsNamed() {
		this.contextRunner.withBean("badHandlers", BadHandlers.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("3 invalid @JobHandler methods on bean 'badHandlers'")
				.hasMessageContaining("Invalid @JobHandler on bean 'badHandlers' method BadHandlers.badType(): "
						+ "attribute 'value' with value 'bad type!'")
				.hasMessageContaining("BadHandlers.returns(): the method must return void, but returns String; "
						+ "attribute 'concurrency' with value '0': must be at least 1")
				.hasMessageContaining("BadHandlers.two(): the method must take the payload, a JobContext, or both in that"
						+ " order, but takes [String, String]");
		});
	}

	static class OtherMailer {

		@JobHandler("send-email")
		void send(WelcomeMail mail) {
		}

	}

	@Test
	void twoHandlersOfOneTypeAreNamed() {
		this.contextRunner.withUserConfiguration(MailerConfiguration.class)
			.withBean("otherMailer", OtherMailer.class)
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.hasMessageContaining("Job type 'send-email' has two handlers: ")
					.hasMessageContaining("bean 'mailer' method Mailer.send()")
					.hasMessageContaining("bean 'otherMailer' method OtherMailer.send()");
			});
	}

	@Test
	void aBadTypePropertyIsNamed() {
		this.contextRunner.withUserConfiguration(MailerConfiguration.class)
			.withPropertyValues("tickwork.queues.send-email.concurrency=none")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.hasMessageContaining("tickwork.queues.send-email.concurrency")
					.hasMessageContaining("none");
			});
	}

	@Test
	void withSchedulingDisabledJobsWaitInTheQueue() {
		this.contextRunner.withUserConfiguration(MailerConfiguration.class)
			.withPropertyValues("tickwork.enabled=false")
			.run((context) -> {
				JobQueue queue = context.getBean(JobQueue.class);
				queue.enqueue("rebuild-index", null);
				org.awaitility.Awaitility.await()
					.during(Duration.ofMillis(200))
					.atMost(Duration.ofSeconds(2))
					.until(() -> context.getBean(Mailer.class).sent.isEmpty());
				assertThat(queue.size("rebuild-index")).isEqualTo(1);
			});
	}

}
