package io.tickwork.actuate;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

import io.tickwork.NoSuchJobException;

/**
 * Web extension of {@link JobsEndpoint}: an unknown job answers 404, a missing or unknown
 * action 400 with a message naming the allowed actions, a bad {@code limit} 400 with a
 * message naming the value, and a run 202 Accepted with the execution id.
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
	 * One job with its recent history.
	 * @param name the job name
	 * @param limit how many executions to show, from 1 to {@value JobsEndpoint#MAX_HISTORY};
	 * {@code null} for 20
	 * @return the job, 404 for an unknown job, 400 for a bad limit
	 */
	@ReadOperation
	public WebEndpointResponse<Object> job(@Selector String name, @Nullable String limit) {
		JobsEndpoint.JobDetailDescriptor result;
		try {
			result = this.delegate.job(name, (limit != null) ? Integer.valueOf(limit.trim()) : null);
		}
		catch (NumberFormatException ex) {
			return badRequest(JobsEndpoint.limitProblem(limit));
		}
		catch (InvalidEndpointRequestException ex) {
			return badRequest(ex.getMessage());
		}
		return (result != null) ? new WebEndpointResponse<>(result) : notFound(name);
	}

	/**
	 * One execution of a job, by its id.
	 * @param name the job name
	 * @param id the execution id
	 * @return the execution, or 404 naming the unknown job or execution
	 * @since 0.1.0
	 */
	@ReadOperation
	public WebEndpointResponse<Object> execution(@Selector String name, @Selector String id) {
		JobsEndpoint.ExecutionDescriptor result = this.delegate.execution(name, id);
		if (result != null) {
			return new WebEndpointResponse<>(result);
		}
		if (this.delegate.job(name, 1) == null) {
			return notFound(name);
		}
		return new WebEndpointResponse<>(Map.of("error", "Job '" + name + "' keeps no execution '" + id + "'"),
				WebEndpointResponse.STATUS_NOT_FOUND);
	}

	/** A 404 that says which job is unknown, in the same shape as every other error. */
	private static WebEndpointResponse<Object> notFound(String name) {
		return new WebEndpointResponse<>(Map.of("error", new NoSuchJobException(name).getMessage()),
				WebEndpointResponse.STATUS_NOT_FOUND);
	}

	private static WebEndpointResponse<Object> badRequest(String error) {
		return new WebEndpointResponse<>(Map.of("error", error), WebEndpointResponse.STATUS_BAD_REQUEST);
	}

	/**
	 * Pauses, resumes or runs a job.
	 * @param name the job name
	 * @param action {@code pause}, {@code resume} or {@code run}
	 * @return what was done, 404 for an unknown job, 400 for a bad action
	 */
	@WriteOperation
	public WebEndpointResponse<Object> act(@Selector String name, @Nullable String action) {
		String problem = JobsEndpoint.actionProblem(action);
		if (problem != null) {
			return new WebEndpointResponse<>(new ErrorDescriptor(problem, List.of("pause", "resume", "run")),
					WebEndpointResponse.STATUS_BAD_REQUEST);
		}
		JobsEndpoint.ActionDescriptor result = this.delegate.act(name, action);
		if (result == null) {
			return notFound(name);
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
	public record ErrorDescriptor(String error, List<String> allowedActions) {
	}

}
