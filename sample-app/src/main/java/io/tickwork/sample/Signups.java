package io.tickwork.sample;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.tickwork.JobContext;
import io.tickwork.JobHandler;
import io.tickwork.JobQueue;
import io.tickwork.JobRequest;
import io.tickwork.Retry;

/**
 * Queued jobs: a sign-up enqueues a welcome mail (sent at once) and a first charge (five
 * seconds later); cards ending in 0 are declined, so those charges end in the dead letter.
 */
@Component
@RestController
class Signups {

	private static final Logger logger = LoggerFactory.getLogger(Signups.class);

	private final JobQueue queue;

	private final AtomicInteger count = new AtomicInteger();

	Signups(JobQueue queue) {
		this.queue = queue;
	}

	/** The payload of a welcome mail. */
	record WelcomeMail(String email) {
	}

	/** The payload of a charge. */
	record Charge(String email, String card, long cents) {
	}

	/**
	 * Signs a user up: {@code curl -XPOST 'localhost:8080/signups?email=ann@example.com&card=4242'}.
	 * @param email the user's e-mail
	 * @param card the card number
	 * @return the ids of the two jobs
	 */
	@PostMapping("/signups")
	String signUp(@RequestParam String email, @RequestParam(defaultValue = "4242") String card) {
		String mail = this.queue.enqueue(JobRequest.of("send-welcome", new WelcomeMail(email)).id("welcome-" + email));
		String charge = this.queue.enqueue(JobRequest.of("charge-card", new Charge(email, card, 990))
			.delay(Duration.ofSeconds(5))
			.priority(10));
		return mail + " " + charge;
	}

	/** A sign-up every 20 seconds, so that the queues endpoint has something to show. */
	@io.tickwork.ScheduledJob(interval = "20s")
	void simulateSignup() {
		int n = this.count.incrementAndGet();
		signUp("user" + n + "@example.com", (n % 3 == 0) ? "4000" : "4242");
	}

	@JobHandler("send-welcome")
	void sendWelcome(WelcomeMail mail, JobContext context) {
		logger.info("Welcome mail to {} (job {}, attempt {})", mail.email(), context.jobId(), context.attempt());
		context.put("to", mail.email());
	}

	@JobHandler(value = "charge-card", timeout = "10s", retry = @Retry(maxAttempts = 3, delay = "1s"),
			concurrency = "2")
	void charge(Charge charge) {
		if (charge.card().endsWith("0")) {
			throw new IllegalStateException("card " + charge.card() + " declined");
		}
		logger.info("Charged {} cents to {}", charge.cents(), charge.email());
	}

}
