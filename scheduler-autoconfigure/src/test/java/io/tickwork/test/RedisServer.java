package io.tickwork.test;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Runs a private {@code redis-server} (from the PATH) on a free port for one test class,
 * and lets tests stop, restart, pause or kill it. Register it with
 * {@code @RegisterExtension static RedisServer redis = new RedisServer();}.
 */
public final class RedisServer implements BeforeAllCallback, AfterAllCallback {

	private int port;

	private Process process;

	private File log;

	public int port() {
		return this.port;
	}

	@Override
	public void beforeAll(ExtensionContext context) throws Exception {
		try (ServerSocket socket = new ServerSocket(0)) {
			this.port = socket.getLocalPort();
		}
		this.log = File.createTempFile("tickwork-redis-" + this.port, ".log");
		start();
	}

	@Override
	public void afterAll(ExtensionContext context) {
		kill();
	}

	/** Starts the server (again) on its port, without persistence. */
	public synchronized void start() throws IOException, InterruptedException {
		if (this.process != null && this.process.isAlive()) {
			return;
		}
		this.process = new ProcessBuilder("redis-server", "--port", String.valueOf(this.port), "--bind", "127.0.0.1",
				"--save", "", "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning")
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(this.log))
			.start();
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (System.nanoTime() < deadline) {
			try {
				if ("PONG".equals(command("PING"))) {
					return;
				}
			}
			catch (IOException ex) {
				Thread.sleep(20);
			}
		}
		throw new IllegalStateException("redis-server did not start on port " + this.port + "; see " + this.log);
	}

	/** Shuts the server down gracefully and waits for it to exit. */
	public synchronized void stop() throws InterruptedException {
		if (this.process != null) {
			this.process.destroy();
			this.process.waitFor();
		}
	}

	/** Kills the server at once. */
	public synchronized void kill() {
		if (this.process != null) {
			this.process.destroyForcibly();
			try {
				this.process.waitFor();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	/** Stops and starts the server: every key is lost, as after a failover without replication. */
	public void restart() throws IOException, InterruptedException {
		stop();
		start();
	}

	/** Makes the server stop answering every client for a while ({@code CLIENT PAUSE ... ALL}). */
	public void pause(Duration duration) throws IOException {
		command("CLIENT", "PAUSE", String.valueOf(duration.toMillis()), "ALL");
	}

	public void flushAll() throws IOException {
		command("FLUSHALL");
	}

	/** Sends one command over a fresh connection and returns the first reply line. */
	public String command(String... args) throws IOException {
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			socket.setSoTimeout(5000);
			StringBuilder request = new StringBuilder("*").append(args.length).append("\r\n");
			for (String arg : args) {
				request.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(arg).append("\r\n");
			}
			OutputStream out = socket.getOutputStream();
			out.write(request.toString().getBytes(StandardCharsets.UTF_8));
			out.flush();
			BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
			String line = in.readLine();
			if (line == null) {
				throw new IOException("no reply");
			}
			if (line.startsWith("$") && !line.equals("$-1")) {
				return in.readLine();
			}
			return line.substring(1);
		}
	}

	/** A started Lettuce connection factory for this server. */
	public LettuceConnectionFactory connectionFactory() {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", this.port),
				LettuceClientConfiguration.builder().commandTimeout(Duration.ofSeconds(5)).build());
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

	public List<String> spring() {
		return List.of("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + this.port);
	}

}
