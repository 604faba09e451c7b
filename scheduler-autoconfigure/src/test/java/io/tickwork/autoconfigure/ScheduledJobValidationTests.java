package io.tickwork.autoconfigure;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.support.SpringFactoriesLoader;

import io.tickwork.Backoff;
import io.tickwork.JobContext;
import io.tickwork.Overlap;
import io.tickwork.Retry;
import io.tickwork.ScheduledJob;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that a bad {@link ScheduledJob} fails startup with a message naming the bean,
 * the method, the attribute and the value.
 */
class ScheduledJobValidationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TickworkAutoConfiguration.class));

	private void assertFailure(Class<?> jobs, String... fragments) {
		this.contextRunner.withBean("reports", jobs).run((context) -> {
			assertThat(context).hasFailed();
			Throwable failure = context.getStartupFailure();
			while (!(failure instanceof InvalidJobDefinitionException) && failure.getCause() != null) {
				failure = failure.getCause();
			}
			assertThat(failure).isInstanceOf(InvalidJobDefinitionException.class);
			assertThat(failure.getMessage()).contains(fragments);
		});
	}

	@Test
	void everyBadMethodOfABeanIsReportedAtOnce() {
		assertFailure(TwoBadMethods.class, "2 invalid @ScheduledJob methods on bean 'reports':\n- ",
				"method TwoBadMethods.first(): attribute 'cron' with value '0 61 * * *'",
				"\n- Invalid @ScheduledJob on bean 'reports' method TwoBadMethods.second(): attribute 'timeout' "
						+ "with value 'soon'");
	}

	@Test
	void aFailureAnalyzerTellsWhatIsWrongAndWhatToDo() {
		this.contextRunner.withBean("reports", BadCron.class).run((context) -> {
			FailureAnalysis analysis = new InvalidJobDefinitionFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).startsWith("Tickwork could not define a job.\n\nInvalid @ScheduledJob "
					+ "on bean 'reports' method BadCron.report(): attribute 'cron' with value '0 61 * * *'");
			assertThat(analysis.getAction()).contains("Correct the @ScheduledJob attributes or the tickwork.jobs.* "
					+ "properties named above");
		});
		assertThat(SpringFactoriesLoader.loadFactoryNames(FailureAnalyzer.class, getClass().getClassLoader()))
			.contains(InvalidJobDefinitionFailureAnalyzer.class.getName());
	}

	@Test
	void badCron() {
		assertFailure(BadCron.class, "Invalid @ScheduledJob on bean 'reports' method BadCron.report()",
				"attribute 'cron' with value '0 61 * * *'", "hour field '61': value 61 is out of range 0-23");
	}

	@Test
	void unsatisfiableCron() {
		assertFailure(UnsatisfiableCron.class, "method UnsatisfiableCron.report()",
				"attribute 'cron' with value '0 0 30 2 *'", "no date ever matches");
	}

	@Test
	void badDuration() {
		assertFailure(BadDuration.class, "method BadDuration.report()", "attribute 'timeout' with value '30 minutes'");
	}

	@Test
	void badInterval() {
		assertFailure(BadInterval.class, "method BadInterval.report()", "attribute 'interval' with value 'often'");
	}

	@Test
	void negativeInitialDelay() {
		assertFailure(NegativeInitialDelay.class, "attribute 'initialDelay' with value '-5s': must not be negative");
	}

	@Test
	void bothCronAndInterval() {
		assertFailure(BothCronAndInterval.class, "method BothCronAndInterval.report()",
				"attributes 'cron' ('0 9 * * *') and 'interval' ('30s') are both set; set exactly one");
	}

	@Test
	void neitherCronNorInterval() {
		assertFailure(NeitherCronNorInterval.class, "method NeitherCronNorInterval.report()",
				"neither 'cron' nor 'interval' is set; set exactly one");
	}

	@Test
	void unknownZone() {
		assertFailure(UnknownZone.class, "method UnknownZone.report()", "attribute 'zone' with value 'Mars/Olympus'");
	}

	@Test
	void zoneOnAnIntervalJob() {
		assertFailure(ZoneOnInterval.class, "attribute 'zone' ('UTC') only applies to 'cron' jobs");
	}

	@Test
	void badSignature() {
		assertFailure(BadSignature.class, "method BadSignature.report()",
				"the method must take no parameter or a single JobContext, but takes [String]");
	}

	@Test
	void nonVoidReturnType() {
		assertFailure(ReturnsValue.class, "method ReturnsValue.report()", "the method must return void, but returns String");
	}

	@Test
	void maxAttemptsBelowOne() {
		assertFailure(ZeroAttempts.class, "method ZeroAttempts.report()",
				"attribute 'retry.maxAttempts' with value '0': must be at least 1");
	}

	@Test
	void badJitterAndMultiplier() {
		assertFailure(BadRetry.class, "attribute 'retry.jitter' with value '1.5': must be between 0 and 1",
				"attribute 'retry.multiplier' with value '0.5': must be at least 1");
	}

	@Test
	void severalEnumValues() {
		assertFailure(TwoOverlaps.class, "attribute 'overlap' with value '[SKIP, WAIT]': must have at most one value",
				"attribute 'retry.backoff' with value '[FIXED, LINEAR]': must have at most one value");
	}

	@Test
	void unresolvablePlaceholder() {
		assertFailure(MissingPlaceholder.class, "method MissingPlaceholder.report()",
				"attribute 'cron' with value '${missing.cron}': Could not resolve placeholder 'missing.cron'");
	}

	@Test
	void invalidName() {
		assertFailure(BadName.class, "attribute 'name' with value 'weekly report'", "is not valid");
	}

	@Test
	void duplicateNameAcrossBeans() {
		this.contextRunner.withBean("first", FirstReport.class).withBean("second", SecondReport.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("Job name 'report' is used twice: by bean 'first' method FirstReport.report()"
						+ " and by bean 'second' method SecondReport.report()")
				.hasMessageContaining("@ScheduledJob(name = ");
		});
	}

	@Test
	void everyProblemOfOneMethodIsReportedAtOnce() {
		assertFailure(ManyProblems.class, "attribute 'cron' with value 'nope'", "attribute 'timeout' with value 'x'",
				"the method must take no parameter or a single JobContext");
	}

	@Test
	void composedAnnotationsAreFound() {
		this.contextRunner.withUserConfiguration(ComposedJobs.class)
			.run((context) -> assertThat(context.getBean(io.tickwork.JobScheduler.class).job("nightly").schedule())
				.isEqualTo("cron @daily"));
	}

	static class BadCron {

		@ScheduledJob(cron = "0 61 * * *")
		void report() {
		}

	}

	static class UnsatisfiableCron {

		@ScheduledJob(cron = "0 0 30 2 *")
		void report() {
		}

	}

	static class BadDuration {

		@ScheduledJob(cron = "0 9 * * *", timeout = "30 minutes")
		void report() {
		}

	}

	static class BadInterval {

		@ScheduledJob(interval = "often")
		void report() {
		}

	}

	static class NegativeInitialDelay {

		@ScheduledJob(interval = "1m", initialDelay = "-5s")
		void report() {
		}

	}

	static class BothCronAndInterval {

		@ScheduledJob(cron = "0 9 * * *", interval = "30s")
		void report() {
		}

	}

	static class NeitherCronNorInterval {

		@ScheduledJob
		void report() {
		}

	}

	static class UnknownZone {

		@ScheduledJob(cron = "0 9 * * *", zone = "Mars/Olympus")
		void report() {
		}

	}

	static class ZoneOnInterval {

		@ScheduledJob(interval = "1m", zone = "UTC")
		void report() {
		}

	}

	static class BadSignature {

		@ScheduledJob(cron = "0 9 * * *")
		void report(String text) {
		}

	}

	static class ReturnsValue {

		@ScheduledJob(cron = "0 9 * * *")
		String report() {
			return "";
		}

	}

	static class ZeroAttempts {

		@ScheduledJob(cron = "0 9 * * *", retry = @Retry(maxAttempts = 0))
		void report() {
		}

	}

	static class BadRetry {

		@ScheduledJob(cron = "0 9 * * *", retry = @Retry(maxAttempts = 2, jitter = 1.5, multiplier = 0.5))
		void report() {
		}

	}

	static class TwoOverlaps {

		@ScheduledJob(cron = "0 9 * * *", overlap = { Overlap.SKIP, Overlap.WAIT },
				retry = @Retry(backoff = { Backoff.FIXED, Backoff.LINEAR }))
		void report() {
		}

	}

	static class MissingPlaceholder {

		@ScheduledJob(cron = "${missing.cron}")
		void report() {
		}

	}

	static class BadName {

		@ScheduledJob(name = "weekly report", cron = "0 9 * * *")
		void report() {
		}

	}

	static class FirstReport {

		@ScheduledJob(cron = "0 9 * * *")
		void report() {
		}

	}

	static class SecondReport {

		@ScheduledJob(interval = "1h")
		void report() {
		}

	}

	static class ManyProblems {

		@ScheduledJob(cron = "nope", timeout = "x")
		void report(int count) {
		}

	}

	@java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
	@java.lang.annotation.Target(java.lang.annotation.ElementType.METHOD)
	@ScheduledJob(cron = "@daily")
	@interface Nightly {

		@org.springframework.core.annotation.AliasFor(annotation = ScheduledJob.class)
		String name() default "";

	}

	@Configuration(proxyBeanMethods = false)
	static class ComposedJobs {

		@Bean
		Object nightlyBean() {
			return new Object() {
				@Nightly(name = "nightly")
				void run(JobContext context) {
				}
			};
		}

	}

	static class TwoBadMethods {

		@ScheduledJob(cron = "0 61 * * *")
		void first() {
		}

		@ScheduledJob(interval = "1m", timeout = "soon")
		void second() {
		}

	}

}
