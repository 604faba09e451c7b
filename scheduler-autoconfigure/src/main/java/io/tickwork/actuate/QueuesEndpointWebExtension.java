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

/**
 * Web extension of {@link QueuesEndpoint}, with the conventions of the {@code jobs}
 * endpoint: an unknown type or job answers 404 with a message, a missing or unknown
 * action or a bad {@code limit} 400 with a message naming the value.
 *
 * @author Tickwork team
 * @since 0.2.0
 */
@EndpointWebExtension(endpoint = QueuesEndpoint.class)
public class QueuesEndpointWebExtension {

	private final QueuesEndpoint delegate;

	/**
	 * Creates a new instance.
	 * @param delegate the endpoint
	 */
	public QueuesEndpointWebExtension(QueuesEndpoint delegate) {
		this.delegate = delegate;
	}

	/**
	 * One type.
	 * @param type the job type
	 * @param limit how many attempts and dead jobs to show
	 * @return the type, 404 if unknown, 400 for a bad limit
	 */
	@ReadOperation
	public WebEndpointResponse<Object> queue(@Selector String type, @Nullable String limit) {
		try {
			Object result = this.delegate.queue(type, (limit != null) ? Integer.valueOf(limit.trim()) : null);
			return (result != null) ? new WebEndpointResponse<>(result) : unknownType(type);
		}
		catch (NumberFormatException ex) {
			return error(JobsEndpoint.limitProblem(limit), WebEndpointResponse.STATUS_BAD_REQUEST);
		}
		catch (InvalidEndpointRequestException ex) {
			return error(ex.getMessage(), WebEndpointResponse.STATUS_BAD_REQUEST);
		}
	}

	/**
	 * One job.
	 * @param type the job type
	 * @param id the job id
	 * @return the job, or 404 naming what is unknown
	 */
	@ReadOperation
	public WebEndpointResponse<Object> job(@Selector String type, @Selector String id) {
		Object result = this.delegate.job(type, id);
		return (result != null) ? new WebEndpointResponse<>(result) : unknownJob(type, id);
	}

	/**
	 * Pauses or resumes a type.
	 * @param type the job type
	 * @param action {@code pause} or {@code resume}
	 * @return what was done, 404 for an unknown type, 400 for a bad action
	 */
	@WriteOperation
	public WebEndpointResponse<Object> actOnType(@Selector String type, @Nullable String action) {
		try {
			Object result = this.delegate.actOnType(type, action);
			return (result != null) ? new WebEndpointResponse<>(result) : unknownType(type);
		}
		catch (InvalidEndpointRequestException ex) {
			return new WebEndpointResponse<>(new JobsEndpointWebExtension.ErrorDescriptor(ex.getMessage(),
					List.of("pause", "resume")), WebEndpointResponse.STATUS_BAD_REQUEST);
		}
	}

	/**
	 * Requeues, deletes or cancels a job.
	 * @param type the job type
	 * @param id the job id
	 * @param action {@code requeue}, {@code delete} or {@code cancel}
	 * @return what was done, 404 for an unknown job, 400 for a bad action
	 */
	@WriteOperation
	public WebEndpointResponse<Object> actOnJob(@Selector String type, @Selector String id, @Nullable String action) {
		try {
			Object result = this.delegate.actOnJob(type, id, action);
			return (result != null) ? new WebEndpointResponse<>(result) : unknownJob(type, id);
		}
		catch (InvalidEndpointRequestException ex) {
			return new WebEndpointResponse<>(new JobsEndpointWebExtension.ErrorDescriptor(ex.getMessage(),
					List.of("cancel", "delete", "requeue")), WebEndpointResponse.STATUS_BAD_REQUEST);
		}
	}

	private static WebEndpointResponse<Object> unknownType(String type) {
		return error("No queue of job type '" + type + "'", WebEndpointResponse.STATUS_NOT_FOUND);
	}

	private static WebEndpointResponse<Object> unknownJob(String type, String id) {
		return error("No queued job '" + id + "' of type '" + type + "'", WebEndpointResponse.STATUS_NOT_FOUND);
	}

	private static WebEndpointResponse<Object> error(String error, int status) {
		return new WebEndpointResponse<>(Map.of("error", error), status);
	}

}
