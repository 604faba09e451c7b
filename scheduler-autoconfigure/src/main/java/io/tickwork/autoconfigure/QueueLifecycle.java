package io.tickwork.autoconfigure;

import org.springframework.context.SmartLifecycle;

import io.tickwork.queue.QueueEngine;

/**
 * Starts the {@link QueueEngine} once the context is refreshed (unless
 * {@code tickwork.enabled=false}) and stops it gracefully first on shutdown, in the same
 * phase as the scheduled jobs, on a thread of its own.
 *
 * @author Tickwork team
 * @since 0.2.0
 */
public class QueueLifecycle implements SmartLifecycle {

	private final QueueEngine engine;

	private final boolean enabled;

	private volatile boolean running;

	/**
	 * Creates a new instance.
	 * @param engine the engine
	 * @param enabled whether handlers run jobs ({@code tickwork.enabled})
	 */
	public QueueLifecycle(QueueEngine engine, boolean enabled) {
		this.engine = engine;
		this.enabled = enabled;
	}

	@Override
	public void start() {
		if (this.enabled) {
			this.engine.start();
		}
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		this.engine.stop();
	}

	@Override
	public void stop(Runnable callback) {
		Thread stopping = new Thread(() -> {
			try {
				stop();
			}
			finally {
				callback.run();
			}
		}, "tickwork-queue-shutdown");
		stopping.setDaemon(true);
		stopping.start();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return TickworkLifecycle.PHASE;
	}

}
