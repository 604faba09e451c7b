package io.tickwork.autoconfigure;

import org.springframework.context.SmartLifecycle;

import io.tickwork.engine.TickworkEngine;

/**
 * Starts the {@link TickworkEngine} once the context is refreshed and stops it
 * gracefully first on shutdown: it has a late phase, so jobs start after and stop
 * before the beans they use. The stop runs on a thread of its own and tells Spring when
 * it is done, as Spring's own lifecycles do, so that
 * {@code spring.lifecycle.timeout-per-shutdown-phase} bounds how long the context waits
 * for it.
 *
 * @author Tickwork team
 * @since 0.1.0
 */
public class TickworkLifecycle implements SmartLifecycle {

	/**
	 * The phase of this lifecycle: late start, early stop.
	 */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 2048;

	private final TickworkEngine engine;

	/**
	 * Creates a new instance.
	 * @param engine the engine
	 */
	public TickworkLifecycle(TickworkEngine engine) {
		this.engine = engine;
	}

	@Override
	public void start() {
		this.engine.start();
	}

	@Override
	public void stop() {
		this.engine.stop();
	}

	@Override
	public void stop(Runnable callback) {
		Thread stopping = new Thread(() -> {
			try {
				this.engine.stop();
			}
			finally {
				callback.run();
			}
		}, "tickwork-shutdown");
		stopping.setDaemon(true);
		stopping.start();
	}

	@Override
	public boolean isRunning() {
		return this.engine.isRunning();
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
