package io.tickwork.queue;

/**
 * Runs the {@link QueueStore} contract on the in-memory store.
 */
class InMemoryQueueStoreTests extends QueueStoreContractTests {

	private final InMemoryQueueStore store = new InMemoryQueueStore();

	@Override
	protected QueueStore store() {
		return this.store;
	}

}
