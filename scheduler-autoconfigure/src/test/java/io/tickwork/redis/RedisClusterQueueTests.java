package io.tickwork.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.resource.ClientResources;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tickwork.Backoff;
import io.tickwork.QueuedJob;
import io.tickwork.RetryPolicy;
import io.tickwork.queue.HandlerDefinition;
import io.tickwork.queue.JsonCodec;
import io.tickwork.queue.QueueEngine;
import io.tickwork.queue.QueueSettings;
import io.tickwork.test.RedisCluster;
import io.tickwork.test.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Queued jobs on a real Redis Cluster of three masters and three replicas: each type's
 * keys live in one slot, notices cross nodes, and a master killed with jobs running
 * loses none of them once its replica is promoted.
 */
class RedisClusterQueueTests {

	private static final List<String> TYPES = List.of("mail", "thumbnail", "webhook");

	private final List<AutoCloseable> resources = new ArrayList<>();

	private final List<QueueEngine> engines = new ArrayList<>();

	private RedisCluster cluster;

	private ClientResources clientResources;

	@BeforeEach
	void open() throws Exception {
		this.cluster = RedisCluster.start();
		this.clientResources = RedisServer.tickworkClientResources();
	}

	@AfterEach
	void close() throws Exception {
		this.engines.forEach(QueueEngine::stop);
		for (AutoCloseable resource : this.resources) {
			resource.close();
		}
		this.clientResources.shutdown();
		this.cluster.close();
	}

	private QueueEngine engine(String instance, Map<String, AtomicInteger> runs) {
		RedisJobStore store = RedisTestEngines.store(this.cluster.connectionFactory(this.clientResources),
				Duration.ofSeconds(1), this.resources);
		RedisQueueStore queues = new RedisQueueStore(store);
		this.resources.add(queues);
		QueueEngine engine = QueueEngine.builder()
			.store(queues, true)
			.codec(new JsonCodec())
			.instanceId(instance)
			.lease(Duration.ofSeconds(3))
			.settings((type) -> QueueSettings.DEFAULTS)
			.shutdownTimeout(Duration.ofSeconds(1))
			.build();
		for (String type : TYPES) {
			engine.register(new HandlerDefinition(type, String.class, (payload, context) -> {
				runs.computeIfAbsent((String) payload, (key) -> new AtomicInteger()).incrementAndGet();
				Thread.sleep(10);
			}, null, new RetryPolicy(5, Backoff.FIXED, Duration.ofMillis(100), 1, Duration.ofMillis(100), 0), 4, true,
					instance));
		}
		this.engines.add(engine);
		return engine;
	}

	@Test
	void everyJobRunsAndAKilledMasterLosesNone() throws Exception {
		Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
		QueueEngine a = engine("a", runs);
		engine("b", runs);
		List<Integer> masters = new ArrayList<>();
		for (String type : TYPES) {
			masters.add(this.cluster.masterOf(SlotHash.getSlot(type)).port);
		}
		assertThat(masters).as("the types live on more than one master").doesNotHaveDuplicates();
		this.engines.forEach(QueueEngine::start);
		List<String[]> jobs = new ArrayList<>();
		for (int i = 0; i < 150; i++) {
			String type = TYPES.get(i % TYPES.size());
			jobs.add(new String[] { type, a.enqueue(type, type + "-" + i) });
		}
		await().atMost(Duration.ofSeconds(20)).until(() -> runs.size() == 150);
		assertThat(runs.values()).allSatisfy((count) -> assertThat(count).hasValue(1));
		for (int i = 150; i < 450; i++) {
			String type = TYPES.get(i % TYPES.size());
			jobs.add(new String[] { type, a.enqueue(type, type + "-" + i) });
		}
		RedisCluster.Node victim = this.cluster.masterOf(SlotHash.getSlot("mail"));
		// the jobs are on the replica before the kill: this test is about failover, not about
		// what asynchronous replication can lose (README states that)
		assertThat(victim.command("WAIT", "1", "5000").trim()).isEqualTo("1");
		victim.kill();
		await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(50))
			.ignoreExceptions()
			.until(() -> this.cluster.masterOf(SlotHash.getSlot("mail")).port != victim.port);
		await().atMost(Duration.ofSeconds(40)).ignoreExceptions().until(() -> runs.size() == 450
				&& TYPES.stream().allMatch((type) -> a.size(type) == 0));
		for (String[] job : jobs) {
			assertThat(a.get(job[0], job[1])).as(job[0] + " " + job[1])
				.get()
				.extracting(QueuedJob::status)
				.isEqualTo(QueuedJob.Status.SUCCEEDED);
		}
	}

}
