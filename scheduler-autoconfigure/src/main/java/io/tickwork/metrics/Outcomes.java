package io.tickwork.metrics;

import io.tickwork.ExecutionStatus;

/**
 * The low-cardinality tag values that metrics and observations share.
 */
final class Outcomes {

	static final String NONE = "none";

	private Outcomes() {
	}

	static String outcome(ExecutionStatus status) {
		return switch (status) {
			case SUCCEEDED -> "success";
			case TIMED_OUT -> "timeout";
			case INTERRUPTED -> "interrupted";
			default -> "failure";
		};
	}

	static String exception(Throwable error) {
		return (error != null) ? error.getClass().getSimpleName() : NONE;
	}

}
