package io.tickwork.benchmarks;

import java.io.File;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/** A private redis-server on a free port, in a session of its own where possible. */
final class Redis implements AutoCloseable {

	private static final String SETSID = "/usr/bin/setsid";

	private final Process process;

	final int port;

	private Redis(Process process, int port) {
		this.process = process;
		this.port = port;
	}

	static Redis start(String... options) throws Exception {
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		List<String> command = new ArrayList<>(List.of("redis-server", "--port", String.valueOf(port), "--bind",
				"127.0.0.1", "--save", "", "--appendonly", "no", "--dir",
				java.nio.file.Files.createTempDirectory("tickwork-bench-redis").toString()));
		command.addAll(List.of(options));
		if (new File(SETSID).canExecute()) {
			// a session of its own, as a service has: Linux's autogroup scheduler then gives
			// Redis its own share of the CPU instead of one thread's share among the JVMs'
			command.add(0, SETSID);
		}
		Process process = new ProcessBuilder(command).redirectOutput(new File("/dev/null")).start();
		Redis redis = new Redis(process, port);
		for (int i = 0; i < 100; i++) {
			try {
				if ("PONG".equals(redis.command("PING"))) {
					return redis;
				}
			}
			catch (Exception ex) {
				Thread.sleep(50);
			}
		}
		throw new IllegalStateException("redis-server did not start");
	}

	/** A Redis started by another process, which that process stops. */
	static Redis attach(int port) {
		return new Redis(null, port);
	}

	LettuceConnectionFactory connectionFactory() {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration("127.0.0.1", this.port));
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

	String command(String... args) throws Exception {
		Process cli = new ProcessBuilder(concat(new String[] { "redis-cli", "-p", String.valueOf(this.port) }, args))
			.redirectErrorStream(true)
			.start();
		String output = new String(cli.getInputStream().readAllBytes()).trim();
		cli.waitFor(10, TimeUnit.SECONDS);
		return output;
	}

	/** The suffix of a command's time in {@link #commandStats()}: microseconds Redis spent in it. */
	static final String USEC = ".usec";

	/**
	 * Calls of each command so far (by name, scripts' own commands included), and the
	 * microseconds spent in each (by name + {@link #USEC}; a script's time includes its
	 * commands').
	 */
	Map<String, Long> commandStats() throws Exception {
		Map<String, Long> stats = new HashMap<>();
		for (String line : command("INFO", "commandstats").split("\n")) {
			if (line.startsWith("cmdstat_")) {
				String name = line.substring(8, line.indexOf(':'));
				String calls = line.substring(line.indexOf("calls=") + 6, line.indexOf(',', line.indexOf("calls=")));
				stats.put(name, Long.parseLong(calls));
				String usec = line.substring(line.indexOf("usec=") + 5, line.indexOf(',', line.indexOf("usec=")));
				stats.put(name + USEC, Long.parseLong(usec));
			}
		}
		return stats;
	}

	/** The CPU time Redis's process used so far, user and system, in seconds. */
	double cpuSeconds() throws Exception {
		double seconds = 0;
		for (String line : command("INFO", "cpu").split("\n")) {
			if (line.startsWith("used_cpu_sys:") || line.startsWith("used_cpu_user:")) {
				seconds += Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
			}
		}
		return seconds;
	}

	private static String[] concat(String[] a, String[] b) {
		String[] result = Arrays.copyOf(a, a.length + b.length);
		System.arraycopy(b, 0, result, a.length, b.length);
		return result;
	}

	@Override
	public void close() {
		if (this.process != null) {
			this.process.destroyForcibly();
		}
	}

}
