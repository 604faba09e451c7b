package io.tickwork.actuate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import io.tickwork.JobContext;
import io.tickwork.JobHandler;
import io.tickwork.JobQueue;
import io.tickwork.JobRequest;
import io.tickwork.QueuedJob;
import io.tickwork.Retry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code queues} endpoint and health contributor over real HTTP.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=queues,health",
				"management.endpoint.health.show-details=always", "tickwork.store=memory" })
class QueuesEndpointWebTests {

	@LocalServerPort
	private int port;

	@Autowired
	private JobQueue queue;

	private final HttpClient http = HttpClient.newHttpClient();

	private HttpResponse<String> get(String path) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> post(String path, String json) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void listsTypesReadsJobsAndActsOnThem() throws Exception {
		String ok = this.queue.enqueue("greet", "ann");
		assertThat(this.queue.outcome(ok, Duration.ofSeconds(5)).get().status()).isEqualTo(QueuedJob.Status.SUCCEEDED);
		String dead = this.queue.enqueue(JobRequest.of("explode", 42).id("boom-1"));
		assertThat(this.queue.outcome(dead, Duration.ofSeconds(5)).get().status()).isEqualTo(QueuedJob.Status.DEAD);

		HttpResponse<String> list = get("/actuator/queues");
		assertThat(list.statusCode()).isEqualTo(200);
		assertThat(list.body()).contains("\"type\":\"explode\"", "\"dead\":1", "\"type\":\"greet\"", "\"handled\":true",
				"\"stats\":{");
		HttpResponse<String> type = get("/actuator/queues/explode?limit=5");
		assertThat(type.statusCode()).isEqualTo(200);
		assertThat(type.body()).contains("\"deadLetters\":[", "\"id\":\"boom-1\"", "\"status\":\"FAILED\"",
				"\"trigger\":\"QUEUE\"", "\"lastError\":\"java.lang.IllegalStateException: no 42\"");
		HttpResponse<String> job = get("/actuator/queues/greet/" + ok);
		assertThat(job.statusCode()).isEqualTo(200);
		assertThat(job.body()).contains("\"status\":\"SUCCEEDED\"", "\"payload\":\"\\\"ann\\\"\"");

		assertThat(get("/actuator/queues/nope").body()).isEqualTo("{\"error\":\"No queue of job type 'nope'\"}");
		assertThat(get("/actuator/queues/greet/nope").statusCode()).isEqualTo(404);
		assertThat(get("/actuator/queues/greet?limit=0").statusCode()).isEqualTo(400);

		HttpResponse<String> health = get("/actuator/health");
		assertThat(health.body()).contains("\"queues\":{\"details\":{\"queues\":2},\"status\":\"UP\"}");

		HttpResponse<String> requeue = post("/actuator/queues/explode/boom-1", "{\"action\":\"requeue\"}");
		assertThat(requeue.statusCode()).isEqualTo(200);
		assertThat(requeue.body()).contains("\"action\":\"requeue\"", "\"done\":true");
		HttpResponse<String> bad = post("/actuator/queues/explode/boom-1", "{\"action\":\"explode\"}");
		assertThat(bad.statusCode()).isEqualTo(400);
		assertThat(bad.body()).contains("Unknown action 'explode'; allowed actions are cancel, delete, requeue");
		assertThat(this.queue.outcome("boom-1", Duration.ofSeconds(5)).get().status())
			.isEqualTo(QueuedJob.Status.DEAD);
		String second = this.queue.enqueue(JobRequest.of("explode", 43).id("boom-2"));
		assertThat(this.queue.outcome(second, Duration.ofSeconds(5)).get().status()).isEqualTo(QueuedJob.Status.DEAD);
		HttpResponse<String> down = get("/actuator/health");
		assertThat(down.statusCode()).isEqualTo(503);
		assertThat(down.body()).contains("\"explode\":\"dead letter grew from 1 to 2 job(s) since the last check\"");

		HttpResponse<String> pause = post("/actuator/queues/greet", "{\"action\":\"pause\"}");
		assertThat(pause.statusCode()).isEqualTo(200);
		assertThat(get("/actuator/queues").body()).contains("\"type\":\"greet\",\"ready\":0,\"delayed\":0,\"running\":0,"
				+ "\"dead\":0,\"paused\":true");
		post("/actuator/queues/greet", "{\"action\":\"resume\"}");
		assertThat(post("/actuator/queues/explode/boom-1", "{\"action\":\"delete\"}").body()).contains("\"done\":true");
		assertThat(post("/actuator/queues/nope", "{\"action\":\"pause\"}").statusCode()).isEqualTo(404);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(Handlers.class)
	static class Application {

	}

	static class Handlers {

		@JobHandler
		void greet(String name, JobContext context) {
			context.put("greeted", name);
		}

		@JobHandler(retry = @Retry(maxAttempts = 2, delay = "10ms"))
		void explode(int n) {
			throw new IllegalStateException("no " + n);
		}

	}

}
