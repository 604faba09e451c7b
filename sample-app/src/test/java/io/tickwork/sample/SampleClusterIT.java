package io.tickwork.sample;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three JVMs of the packaged sample app, with skewed clocks, share one Redis: every fire
 * of every job runs exactly once.
 */
class SampleClusterIT {

	private static final int JOBS = 20;

	private static final String[] SKEWS = { "0ms", "250ms", "-400ms" };

	private final List<Process> processes = new ArrayList<>();

	private final List<File> logs = new ArrayList<>();

	private int port;

	private LettuceConnectionFactory connectionFactory;

	private StringRedisTemplate redis;

	@BeforeEach
	void startRedis() throws Exception {
		try (ServerSocket socket = new ServerSocket(0)) {
			this.port = socket.getLocalPort();
		}
		this.processes.add(new ProcessBuilder("redis-server", "--port", String.valueOf(this.port), "--bind", "127.0.0.1",
				"--save", "", "--appendonly", "no").redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
		this.connectionFactory = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", this.port));
		this.connectionFactory.afterPropertiesSet();
		this.connectionFactory.start();
		this.redis = new StringRedisTemplate(this.connectionFactory);
		await().ignoreExceptions().until(() -> "PONG".equals(this.redis.execute((org.springframework.data.redis.core.RedisCallback<String>) (c) -> c.ping())));
	}

	@AfterEach
	void stopAll() throws InterruptedException {
		for (Process process : this.processes) {
			process.destroyForcibly().waitFor();
		}
		this.connectionFactory.destroy();
	}

	private Process startInstance(int index) throws IOException {
		File log = File.createTempFile("tickwork-sample-node-" + index, ".log");
		this.logs.add(log);
		Process process = new ProcessBuilder(new File(System.getProperty("java.home"), "bin/java").getPath(), "-jar",
				System.getProperty("sample.jar"), "--spring.profiles.active=redis",
				"--spring.data.redis.port=" + this.port, "--tickwork.instance-id=node-" + index,
				"--sample.cluster-demo.jobs=" + JOBS, "--sample.clock-skew=" + SKEWS[index],
				"--logging.level.io.tickwork.engine=info", "--server.port=0")
			.redirectErrorStream(true)
			.redirectOutput(log)
			.start();
		this.processes.add(process);
		return process;
	}

	@Test
	void threeInstancesRunEachFireExactlyOnce() throws Exception {
		List<Process> nodes = new ArrayList<>();
		for (int i = 0; i < SKEWS.length; i++) {
			nodes.add(startInstance(i));
		}
		await().atMost(Duration.ofSeconds(90)).until(() -> {
			for (File log : this.logs) {
				if (!Files.readString(log.toPath()).contains("Cluster demo: " + JOBS + " jobs")) {
					return false;
				}
			}
			return true;
		});
		Instant start = Instant.now();
		Thread.sleep(8000);
		Instant end = Instant.now();
		for (Process node : nodes) {
			node.destroy();
		}
		for (Process node : nodes) {
			node.waitFor();
		}
		long from = start.toEpochMilli() / 1000 * 1000 + 2000;
		long to = end.toEpochMilli() / 1000 * 1000 - 2000;
		int checked = 0;
		for (int i = 0; i < JOBS; i++) {
			for (long fire = from; fire <= to; fire += 1000) {
				assertThat(this.redis.opsForValue().get("sample:fires:{demo-" + i + "}:" + fire))
					.as("runs of demo-%d's fire at %s", i, Instant.ofEpochMilli(fire))
					.isEqualTo("1");
				checked++;
			}
		}
		Set<String> all = this.redis.keys("sample:fires:*");
		for (String key : all) {
			assertThat(this.redis.opsForValue().get(key)).as(key).isEqualTo("1");
		}
		assertThat(checked).isGreaterThanOrEqualTo(JOBS * 3);
		Map<Object, Object> byInstance = this.redis.opsForHash().entries("sample:runs-by-instance");
		System.out.println("Fires checked: " + checked + ", runs by instance: " + byInstance);
		assertThat(byInstance).isNotEmpty();
	}

}
