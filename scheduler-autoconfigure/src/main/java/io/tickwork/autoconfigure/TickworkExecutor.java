package io.tickwork.autoconfigure;

import java.util.concurrent.Executor;

/**
 * The threads on which Tickwork claims and runs jobs. It is deliberately not an
 * {@link Executor} bean itself, so that it does not take the place of the
 * application's task executor. Define a bean of this type to supply your own threads;
 * Tickwork still limits concurrency to {@code tickwork.max-concurrent}.
 *
 * @author Tickwork team
 * @since 0.1.0
 */
public final class TickworkExecutor implements AutoCloseable {

	private final Executor executor;

	private final AutoCloseable onClose;

	/**
	 * Creates a new instance.
	 * @param executor the executor that runs claims and attempts
	 * @param onClose what to do when the application context closes, or {@code null}
	 */
	public TickworkExecutor(Executor executor, AutoCloseable onClose) {
		this.executor = executor;
		this.onClose = onClose;
	}

	/**
	 * The executor.
	 * @return the executor
	 */
	public Executor getExecutor() {
		return this.executor;
	}

	@Override
	public void close() throws Exception {
		if (this.onClose != null) {
			this.onClose.close();
		}
	}

}
