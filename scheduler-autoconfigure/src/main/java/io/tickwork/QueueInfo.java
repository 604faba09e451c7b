package io.tickwork;

/**
 * What a queue of one job type holds right now, across the cluster.
 *
 * @param type the job type
 * @param ready jobs waiting for a worker
 * @param delayed jobs waiting for their time (delayed ones and retries)
 * @param running jobs leased by an instance
 * @param dead jobs in the dead letter
 * @param paused whether the type is paused cluster-wide
 * @param handled whether this instance runs jobs of the type
 * @author Tickwork team
 * @since 0.2.0
 */
public record QueueInfo(String type, long ready, long delayed, long running, long dead, boolean paused,
		boolean handled) {

	/**
	 * Jobs that are not finished: ready, delayed and running.
	 * @return the size of the queue
	 */
	public long size() {
		return this.ready + this.delayed + this.running;
	}

}
