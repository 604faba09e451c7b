package io.tickwork.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports an invalid job declaration or configuration the way Spring Boot reports its
 * own startup failures: what is wrong, where, and what to do, instead of a stack trace.
 *
 * @author Tickwork team
 * @since 0.1.0
 */
public class InvalidJobDefinitionFailureAnalyzer extends AbstractFailureAnalyzer<InvalidJobDefinitionException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidJobDefinitionException cause) {
		return new FailureAnalysis("Tickwork could not define a job.\n\n" + cause.getMessage(),
				"Correct the @ScheduledJob attributes or the tickwork.jobs.* properties named above (durations such "
						+ "as 30s or 5m, Unix cron expressions of 5 or 6 fields, zone ids such as Europe/Paris); "
						+ "values may use ${...} placeholders.",
				cause);
	}

}
