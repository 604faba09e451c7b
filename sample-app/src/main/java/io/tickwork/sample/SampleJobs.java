package io.tickwork.sample;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

import io.tickwork.Backoff;
import io.tickwork.JobContext;
import io.tickwork.Retry;
import io.tickwork.ScheduledJob;

/**
 * The jobs a typical worker runs: each shows one feature of Tickwork.
 */
@Component
class SampleJobs {

	private static final Logger logger = LoggerFactory.getLogger(SampleJobs.class);

	private final WorkQueue queue;

	SampleJobs(WorkQueue queue) {
		this.queue = queue;
	}

	/**
	 * Every 30 seconds, at the same moments on every instance (a phase derived from the job
	 * name spreads jobs that share an interval).
	 */
	@ScheduledJob(interval = "30s", tags = "monitoring")
	void healthCheck() {
		logger.info("Health check: {} items waiting", this.queue.size());
	}

	/**
	 * Every night at 03:00 in the configured zone ({@code tickwork.defaults.zone}); an
	 * instance that starts runs it at once if no instance ran last night's cleanup.
	 */
	@ScheduledJob(cron = "${sample.cleanup.cron:0 3 * * *}", timeout = "10m", tags = "maintenance",
			runOnStart = true)
	void nightlyCleanup() {
		logger.info("Nightly cleanup: removing expired sessions");
	}

	/**
	 * One minute after the previous drain ends; the first drain runs at startup.
	 */
	@ScheduledJob(interval = "1m", fixedDelay = true)
	void drainQueue(JobContext context) {
		int drained = 0;
		while (!context.isCancelled() && this.queue.poll() != null) {
			drained++;
		}
		context.put("drained", drained);
		logger.info("Drained {} item(s) from the queue", drained);
	}

	/**
	 * Calls a flaky partner system: each attempt may take up to 20 seconds, and a
	 * failed attempt is retried twice with exponential backoff from 2 seconds.
	 */
	@ScheduledJob(cron = "*/2 * * * *", timeout = "20s", tags = "integrations",
			retry = @Retry(maxAttempts = 3, backoff = Backoff.EXPONENTIAL, delay = "2s", jitter = 0.2))
	void externalSync(JobContext context) throws InterruptedException {
		Thread.sleep(Duration.ofMillis(200 + ThreadLocalRandom.current().nextInt(300)).toMillis());
		if (ThreadLocalRandom.current().nextInt(3) == 0) {
			throw new IllegalStateException("partner API answered 503 (attempt " + context.attempt() + ")");
		}
		logger.info("External sync done on attempt {} (fencing token {})", context.attempt(), context.fencingToken());
	}

	/**
	 * Mondays at 09:00 in Paris, whatever the server's zone.
	 */
	@ScheduledJob(cron = "0 9 * * MON", zone = "Europe/Paris", timeout = "30m", tags = "reports",
			retry = @Retry(maxAttempts = 5))
	void weeklyReport() {
		logger.info("Weekly report sent");
	}

}
