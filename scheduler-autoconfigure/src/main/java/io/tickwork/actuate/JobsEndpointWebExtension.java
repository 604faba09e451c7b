package io.tickwork.actuate;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * Web extension of {@link JobsEndpoint}: a write for an unknown job answers 404, a missing
 * or unknown action 400 with a message naming the allowed actions, and a run 202 Accepted
 * with the execution id.
 *
 * @author Tickwork team
 * @since 0.1.0
 */
@EndpointWebExtension(endpoint = JobsEndpoint.class)
public class JobsEndpointWebExtension {

	private final JobsEndpoint delegate;

	/**
	 * Creates a new instance.
	 * @param delegate the endpoint
	 */
	public JobsEndpointWebExtension(JobsEndpoint delegate) {
		this.delegate = delegate;
	}

	/**
	 * Pauses, resumes or runs a job.
	 * @param name the job name
	 * @param action {@code pause}, {@code resume} or {@code run}
	 * @return what was done, 404 for an unknown job, 400 for a bad action
	 */
	@WriteOperation
	public WebEndpointResponse<Object> act(@Selector String name, @Nullable String action) {
		if (action == null || !JobsEndpoint.ACTIONS.contains(action.trim().toLowerCase(java.util.Locale.ROOT))) {
			return new WebEndpointResponse<>(new ErrorDescriptor(
					"Unknown action '" + action + "'; allowed actions are pause, resume and run",
					java.util.List.of("pause", "resume", "run")), WebEndpointResponse.STATUS_BAD_REQUEST);
		}
		JobsEndpoint.ActionDescriptor result = this.delegate.act(name, action);
		if (result == null) {
			return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
		}
		return new WebEndpointResponse<>(result,
				"run".equals(result.action()) ? 202 : WebEndpointResponse.STATUS_OK);
	}

	/**
	 * Why a request was refused.
	 *
	 * @param error the message
	 * @param allowedActions the actions a write accepts
	 *
	 * @since 0.1.0
	 */
	public record ErrorDescriptor(String error, java.util.List<String> allowedActions) {
	}

}
