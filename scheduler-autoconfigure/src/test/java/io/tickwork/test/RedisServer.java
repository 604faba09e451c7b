package io.tickwork.test;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;

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

	private final boolean persistent;

	private File dir;

	private int port;

	private Process process;

	private File log;

	/** A server that keeps nothing on disk: a restart loses every key. */
	public RedisServer() {
		this(false);
	}

	/**
	 * A server.
	 * @param persistent whether it writes every command to an append-only file it reloads
	 * when it starts again, as a Redis with persistence does after a crash
	 */
	public RedisServer(boolean persistent) {
		this.persistent = persistent;
	}

	public int port() {
		return this.port;
	}

	@Override
	public void beforeAll(ExtensionContext context) throws Exception {
		try (ServerSocket socket = new ServerSocket(0)) {
			this.port = socket.getLocalPort();
		}
		this.log = File.createTempFile("tickwork-redis-" + this.port, ".log");
		this.dir = java.nio.file.Files.createTempDirectory("tickwork-redis-" + this.port).toFile();
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
				"--save", "", "--appendonly", this.persistent ? "yes" : "no", "--appendfsync", "always", "--dir",
				this.dir.getAbsolutePath(), "--daemonize", "no", "--loglevel", "warning")
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

	/** The server's process id, for signals. */
	public synchronized long pid() {
		return this.process.pid();
	}

	/** Stops and starts the server: without persistence every key is lost, as after a failover without replication. */
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

	/** Sends one command over a fresh connection and returns its reply as text. */
	public String command(String... args) throws IOException {
		return send(this.port, args);
	}

	/**
	 * Sends one command to a server over a fresh connection and returns its reply as
	 * text: a bulk string whole, the elements of an array joined by spaces.
	 */
	public static String send(int port, String... args) throws IOException {
		try (Socket socket = new Socket("127.0.0.1", port)) {
			socket.setSoTimeout(5000);
			StringBuilder request = new StringBuilder("*").append(args.length).append("\r\n");
			for (String arg : args) {
				request.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(arg).append("\r\n");
			}
			OutputStream out = socket.getOutputStream();
			out.write(request.toString().getBytes(StandardCharsets.UTF_8));
			out.flush();
			return reply(new DataInputStream(new BufferedInputStream(socket.getInputStream())));
		}
	}

	private static String reply(DataInputStream in) throws IOException {
		String line = line(in);
		switch (line.charAt(0)) {
			case '$' -> {
				int length = Integer.parseInt(line.substring(1));
				if (length < 0) {
					return null;
				}
				byte[] bytes = new byte[length + 2];
				in.readFully(bytes);
				return new String(bytes, 0, length, StandardCharsets.UTF_8);
			}
			case '*' -> {
				int count = Integer.parseInt(line.substring(1));
				StringBuilder joined = new StringBuilder();
				for (int i = 0; i < count; i++) {
					joined.append((i > 0) ? " " : "").append(reply(in));
				}
				return joined.toString();
			}
			default -> {
				return line.substring(1);
			}
		}
	}

	private static String line(DataInputStream in) throws IOException {
		StringBuilder line = new StringBuilder();
		int c;
		while ((c = in.read()) != -1 && c != '\n') {
			if (c != '\r') {
				line.append((char) c);
			}
		}
		if (c == -1 && line.length() == 0) {
			throw new IOException("no reply");
		}
		return line.toString();
	}

	/** A started Lettuce connection factory for this server. */
	public LettuceConnectionFactory connectionFactory() {
		return connectionFactory(LettuceClientConfiguration.builder().commandTimeout(Duration.ofSeconds(5)).build());
	}

	/**
	 * A started Lettuce connection factory that hands out a connection of its own per
	 * use instead of one shared native connection, as connection factories other than
	 * Lettuce's shared one do (Tickwork's store then sends its calls on threads that wait).
	 */
	public LettuceConnectionFactory unsharedConnectionFactory() {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", this.port),
				LettuceClientConfiguration.builder().commandTimeout(Duration.ofSeconds(5)).build());
		factory.setShareNativeConnection(false);
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

	/**
	 * A started Lettuce connection factory for this server as Spring Boot configures it
	 * with Tickwork: Boot's default timeout of 60 s, and Tickwork's reconnect delay of at
	 * most 1 s.
	 */
	public LettuceConnectionFactory bootConnectionFactory(ClientResources resources) {
		return connectionFactory(
				LettuceClientConfiguration.builder().commandTimeout(Duration.ofSeconds(60)).clientResources(resources).build());
	}

	/** Client resources as Tickwork's auto-configuration sets them: reconnect attempts at most 1 s apart. Shut them down after use. */
	public static ClientResources tickworkClientResources() {
		return DefaultClientResources.builder()
			.reconnectDelay(Delay.exponential(Duration.ZERO, Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
			.build();
	}

	private LettuceConnectionFactory connectionFactory(LettuceClientConfiguration configuration) {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", this.port),
				configuration);
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

	public List<String> spring() {
		return List.of("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + this.port);
	}

}
