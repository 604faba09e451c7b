package io.tickwork.engine;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Warnings}.
 */
class WarningsTests {

	@Test
	void aFloodOfWarningsBecomesItsFirstLineAndOneSummaryPerIntervalNamingTheWorstJobs() throws Exception {
		Logger logger = (Logger) LoggerFactory.getLogger("io.tickwork.test.warnings");
		logger.setLevel(Level.WARN);
		ListAppender<ILoggingEvent> appender = new ListAppender<>();
		appender.start();
		logger.addAppender(appender);
		AtomicLong nanos = new AtomicLong(1_000_000_000L);
		Warnings warnings = new Warnings(TimeUnit.MILLISECONDS.toNanos(300), nanos::get);
		for (int i = 0; i < 2000; i++) {
			String job = "job-" + (i % 100);
			warnings.warn(logger, "misfires", job, "Job '{}': fire missed", job);
		}
		warnings.warn(logger, "claims that failed", "job-1", "Job '{}': could not claim", "job-1");
		warnings.flushIfDue();
		List<String> lines = appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
		assertThat(lines).containsExactly("Job 'job-0': fire missed", "Job 'job-1': could not claim");
		nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(350));
		warnings.warn(logger, "misfires", "job-0", "Job '{}': fire missed", "job-0");
		warnings.flushIfDue();
		lines = appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
		assertThat(lines).hasSize(3);
		assertThat(lines.get(2)).isEqualTo("1999 more warning(s) of misfires in the last 0s, for 100 job(s); most: "
				+ "job-1 (20), job-10 (20), job-11 (20), job-12 (20), job-13 (20)");
		nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(350));
		warnings.flushIfDue();
		assertThat(appender.list).hasSize(4);
		assertThat(appender.list.get(3).getFormattedMessage()).startsWith("1 more warning(s) of misfires");
		warnings.flushIfDue();
		assertThat(appender.list).hasSize(4);
	}

}
