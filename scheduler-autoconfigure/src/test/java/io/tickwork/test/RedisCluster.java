package io.tickwork.test;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.resource.ClientResources;

import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * A Redis Cluster of three masters and three replicas started by a test:
 * {@code redis-server --cluster-enabled yes} on six free ports, joined by
 * {@code redis-cli --cluster create ... --cluster-replicas 1}, with
 * {@code cluster-require-full-coverage no} as README recommends. A master can be killed
 * with {@code kill -9}; its replica is promoted after the node timeout.
 */
public final class RedisCluster implements AutoCloseable {

	/** How long a node may not answer before the cluster fails it over. */
	public static final Duration NODE_TIMEOUT = Duration.ofSeconds(2);

	private final List<Node> nodes = new ArrayList<>();

	private final File dir;

	private RedisCluster(File dir) {
		this.dir = dir;
	}

	public static RedisCluster start() throws Exception {
		RedisCluster cluster = new RedisCluster(Files.createTempDirectory("tickwork-cluster").toFile());
		try {
			for (int i = 0; i < 6; i++) {
				cluster.nodes.add(cluster.startNode());
			}
			List<String> command = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
			cluster.nodes.forEach((node) -> command.add("127.0.0.1:" + node.port));
			command.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
			Process create = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(new File(cluster.dir, "create.log"))
				.start();
			if (create.waitFor() != 0) {
				throw new IllegalStateException("redis-cli --cluster create failed; see " + cluster.dir);
			}
			cluster.awaitState(cluster.nodes, Duration.ofSeconds(30));
			cluster.awaitReplicas(Duration.ofSeconds(30));
			return cluster;
		}
		catch (Exception ex) {
			cluster.close();
			throw ex;
		}
	}

	private Node startNode() throws Exception {
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		File nodeDir = new File(this.dir, String.valueOf(port));
		nodeDir.mkdirs();
		Process process = new ProcessBuilder("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
				"--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
				// the masters that keep their slots serve them while another is failed over
				"--cluster-require-full-coverage", "no", "--cluster-node-timeout",
				String.valueOf(NODE_TIMEOUT.toMillis()), "--save", "", "--appendonly", "no", "--dir",
				nodeDir.getAbsolutePath(), "--daemonize", "no", "--loglevel", "warning")
			.redirectErrorStream(true)
			.redirectOutput(new File(nodeDir, "redis.log"))
			.start();
		Node node = new Node(port, process);
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (!"PONG".equals(node.commandOrNull("PING"))) {
			if (System.nanoTime() - deadline > 0) {
				throw new IllegalStateException("redis-server did not start on port " + port);
			}
			Thread.sleep(20);
		}
		return node;
	}

	/** Waits until every given node says the cluster is ok. */
	public void awaitState(List<Node> nodes, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			boolean ok = true;
			for (Node node : nodes) {
				String info = node.commandOrNull("CLUSTER", "INFO");
				ok &= info != null && info.contains("cluster_state:ok");
			}
			if (ok) {
				return;
			}
			if (System.nanoTime() - deadline > 0) {
				throw new IllegalStateException("The Redis Cluster did not reach state ok; see " + this.dir);
			}
			Thread.sleep(50);
		}
	}

	/** Waits until every replica has synchronized with its master: only such a replica can be promoted. */
	private void awaitReplicas(Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		for (Node node : this.nodes) {
			while (true) {
				String info = node.commandOrNull("INFO", "replication");
				if (info != null && (info.contains("role:master") || info.contains("master_link_status:up"))) {
					break;
				}
				if (System.nanoTime() - deadline > 0) {
					throw new IllegalStateException("A replica of the Redis Cluster did not synchronize; see " + this.dir);
				}
				Thread.sleep(50);
			}
		}
	}

	/** The master node serving a hash slot. */
	public Node masterOf(int slot) throws IOException {
		for (Node node : this.nodes) {
			if (!node.process.isAlive()) {
				continue;
			}
			for (String line : node.command("CLUSTER", "NODES").split("\n")) {
				String[] fields = line.trim().split(" ");
				if (fields.length < 9 || !fields[2].contains("master") || fields[2].contains("fail")) {
					continue;
				}
				for (int i = 8; i < fields.length; i++) {
					String[] range = fields[i].split("-");
					if (range[0].startsWith("[")) {
						continue;
					}
					int low = Integer.parseInt(range[0]);
					int high = (range.length > 1) ? Integer.parseInt(range[1]) : low;
					if (slot >= low && slot <= high) {
						int port = Integer.parseInt(fields[1].substring(fields[1].indexOf(':') + 1, fields[1].indexOf('@')));
						return node(port);
					}
				}
			}
			break;
		}
		throw new IllegalStateException("No master serves slot " + slot);
	}

	private Node node(int port) {
		return this.nodes.stream().filter((node) -> node.port == port).findFirst().orElseThrow();
	}

	/** The nodes still running. */
	public List<Node> liveNodes() {
		return this.nodes.stream().filter((node) -> node.process.isAlive()).toList();
	}

	/**
	 * A started connection factory for the cluster: Boot's default timeout of 60 s,
	 * Tickwork's reconnect delay, and topology refresh on the triggers Lettuce offers and
	 * every second, as README recommends for failover.
	 */
	public LettuceConnectionFactory connectionFactory(ClientResources resources) {
		RedisClusterConfiguration configuration = new RedisClusterConfiguration(
				this.nodes.stream().map((node) -> "127.0.0.1:" + node.port).toList());
		ClusterClientOptions options = ClusterClientOptions.builder()
			.topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
				.enableAllAdaptiveRefreshTriggers()
				.enablePeriodicRefresh(Duration.ofSeconds(1))
				.dynamicRefreshSources(true)
				.build())
			.build();
		LettuceConnectionFactory factory = new LettuceConnectionFactory(configuration,
				LettuceClientConfiguration.builder()
					.commandTimeout(Duration.ofSeconds(60))
					.clientResources(resources)
					.clientOptions(options)
					.build());
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

	@Override
	public void close() {
		for (Node node : this.nodes) {
			node.kill();
		}
	}

	/** The slots each live master serves, by port; for messages. */
	public Map<Integer, String> describe() {
		Map<Integer, String> masters = new LinkedHashMap<>();
		for (Node node : liveNodes()) {
			masters.put(node.port, node.commandOrNull("ROLE"));
		}
		return masters;
	}

	/** One redis-server of the cluster. */
	public static final class Node {

		public final int port;

		private final Process process;

		Node(int port, Process process) {
			this.port = port;
			this.process = process;
		}

		/** Kills the node at once, as {@code kill -9} does. */
		public void kill() {
			this.process.destroyForcibly();
			try {
				this.process.waitFor();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

		/** Sends a command and answers the whole reply's text (bulk strings as they are). */
		public String command(String... args) throws IOException {
			return RedisServer.send(this.port, args);
		}

		String commandOrNull(String... args) {
			try {
				return command(args);
			}
			catch (IOException ex) {
				return null;
			}
		}

	}

}
