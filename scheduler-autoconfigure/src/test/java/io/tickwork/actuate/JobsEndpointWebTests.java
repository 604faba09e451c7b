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

import io.tickwork.ExecutionStatus;
import io.tickwork.JobExecution;
import io.tickwork.JobScheduler;
import io.tickwork.ScheduledJob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code jobs} endpoint over real HTTP.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=jobs,health",
				"management.endpoint.health.show-details=always", "tickwork.store=memory" })
class JobsEndpointWebTests {

	@LocalServerPort
	private int port;

	@Autowired
	private JobScheduler scheduler;

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
	void listsEveryJob() throws Exception {
		HttpResponse<String> response = get("/actuator/jobs");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"name\":\"ticker\"", "\"schedule\":\"every 200ms\"",
				"\"name\":\"weekly-report\"", "\"schedule\":\"cron 0 9 * * MON\"", "\"zone\":\"Europe/Paris\"",
				"\"nextFireTimes\":[", "\"stats\":{", "\"timeout\":\"30m\"");
	}

	@Test
	void showsOneJobWithItsHistory() throws Exception {
		await().until(() -> !this.scheduler.history("ticker", 1).isEmpty());
		HttpResponse<String> response = get("/actuator/jobs/ticker");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"job\":{", "\"history\":[", "\"status\":\"SUCCEEDED\"");
		HttpResponse<String> unknown = get("/actuator/jobs/nope");
		assertThat(unknown.statusCode()).isEqualTo(404);
		assertThat(unknown.body()).isEqualTo("{\"error\":\"No job named 'nope'\"}");
	}

	@Test
	void limitSetsHowManyExecutionsAreShownAndABadOneIsABadRequest() throws Exception {
		await().until(() -> this.scheduler.history("ticker", 3).size() == 3);
		HttpResponse<String> response = get("/actuator/jobs/ticker?limit=2");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body().split("\"fencingToken\"")).hasSize(1 + 1 + 2);
		HttpResponse<String> zero = get("/actuator/jobs/ticker?limit=0");
		assertThat(zero.statusCode()).isEqualTo(400);
		assertThat(zero.body()).contains("Parameter 'limit' must be a whole number between 1 and 1000, was '0'");
		HttpResponse<String> words = get("/actuator/jobs/ticker?limit=many");
		assertThat(words.statusCode()).isEqualTo(400);
		assertThat(words.body()).contains("was 'many'");
		assertThat(get("/actuator/jobs/nope?limit=2").statusCode()).isEqualTo(404);
	}

	@Test
	void pauseSkipsTheNextFiresAndResumeRunsThemAgain() throws Exception {
		HttpResponse<String> paused = post("/actuator/jobs/ticker", "{\"action\":\"pause\"}");
		assertThat(paused.statusCode()).isEqualTo(200);
		assertThat(paused.body()).contains("\"paused\":true");
		await().atMost(Duration.ofSeconds(5))
			.until(() -> this.scheduler.history("ticker", 1).get(0).status() == ExecutionStatus.SKIPPED);
		assertThat(this.scheduler.history("ticker", 1).get(0).errorMessage()).isEqualTo("paused");
		assertThat(post("/actuator/jobs/ticker", "{\"action\":\"resume\"}").statusCode()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(5))
			.until(() -> this.scheduler.history("ticker", 1).get(0).status() == ExecutionStatus.SUCCEEDED);
	}

	@Test
	void runStartsAnExecutionAndAnswersWithItsId() throws Exception {
		HttpResponse<String> response = post("/actuator/jobs/weekly-report", "{\"action\":\"run\"}");
		assertThat(response.statusCode()).isEqualTo(202);
		String id = response.body().replaceAll(".*\"executionId\":\"([^\"]+)\".*", "$1");
		await().atMost(Duration.ofSeconds(5))
			.until(() -> this.scheduler.history("weekly-report", 10)
				.stream()
				.anyMatch((e) -> e.id().equals(id) && e.status() == ExecutionStatus.SUCCEEDED
						&& e.trigger() == JobExecution.Trigger.MANUAL));
	}

	@Test
	void unknownOrMissingActionsAreBadRequestsAndUnknownJobsAreNotFound() throws Exception {
		HttpResponse<String> unknown = post("/actuator/jobs/ticker", "{\"action\":\"explode\"}");
		assertThat(unknown.statusCode()).isEqualTo(400);
		assertThat(unknown.body()).contains("allowed actions are pause, resume and run");
		HttpResponse<String> missing = post("/actuator/jobs/ticker", "{}");
		assertThat(missing.statusCode()).isEqualTo(400);
		assertThat(missing.body()).contains("Missing action; allowed actions are pause, resume and run");
		HttpResponse<String> unknownJob = post("/actuator/jobs/nope", "{\"action\":\"pause\"}");
		assertThat(unknownJob.statusCode()).isEqualTo(404);
		assertThat(unknownJob.body()).isEqualTo("{\"error\":\"No job named 'nope'\"}");
	}

	@Test
	void oneExecutionIsReadByItsIdAndUnknownOnesAreNotFound() throws Exception {
		JobExecution run = this.scheduler.trigger("weekly-report").get(5, java.util.concurrent.TimeUnit.SECONDS);
		HttpResponse<String> response = get("/actuator/jobs/weekly-report/" + run.id());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"id\":\"" + run.id() + "\"", "\"status\":\"SUCCEEDED\"",
				"\"trigger\":\"MANUAL\"", "\"skipReason\":null");
		HttpResponse<String> unknown = get("/actuator/jobs/weekly-report/01NOPE");
		assertThat(unknown.statusCode()).isEqualTo(404);
		assertThat(unknown.body()).isEqualTo("{\"error\":\"Job 'weekly-report' keeps no execution '01NOPE'\"}");
		assertThat(get("/actuator/jobs/nope/" + run.id()).body()).isEqualTo("{\"error\":\"No job named 'nope'\"}");
		assertThat(this.scheduler.execution(run.id())).contains(run);
		assertThat(get("/actuator/jobs/weekly-report").body()).contains("\"failureRate\":0.0");
	}

	@Test
	void healthShowsTheJobsContributor() throws Exception {
		HttpResponse<String> response = get("/actuator/health/jobs");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"status\":\"UP\"", "\"jobs\":2");
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(Jobs.class)
	static class TestApplication {

	}

	static class Jobs {

		@ScheduledJob(name = "ticker", interval = "200ms")
		void ticker() {
		}

		@ScheduledJob(cron = "0 9 * * MON", zone = "Europe/Paris", timeout = "30m")
		void weeklyReport() {
		}

	}

}
