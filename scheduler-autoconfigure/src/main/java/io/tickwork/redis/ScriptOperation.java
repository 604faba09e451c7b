package io.tickwork.redis;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/**
 * One operation of the batch script (its job's keys, its kind and its arguments), or a
 * plain command run alone, on its way through the {@link ScriptPipe} to its caller.
 */
final class ScriptOperation {

	final byte[][] keys;

	final byte[] kind;

	final String[] arguments;

	final Callable<?> command;

	final CompletableFuture<Object> result = new CompletableFuture<>();

	/** When its caller stops waiting, on {@link System#nanoTime()}'s scale. */
	long deadline;

	/**
	 * Whether no caller waits for it soon (a record written without waiting), so that it
	 * may wait a moment for other operations to share its call.
	 */
	boolean deferrable;

	/** When it leaves at the latest, on {@link System#nanoTime()}'s scale: at once unless deferrable. */
	long sendBy;

	private ScriptOperation(byte[][] keys, byte[] kind, String[] arguments, Callable<?> command) {
		this.keys = keys;
		this.kind = kind;
		this.arguments = arguments;
		this.command = command;
	}

	static ScriptOperation script(byte[][] keys, byte[] kind, String... arguments) {
		return new ScriptOperation(keys, kind, arguments, null);
	}

	/** An operation no caller waits for soon, such as a record written without waiting. */
	static ScriptOperation deferrable(byte[][] keys, byte[] kind, String... arguments) {
		ScriptOperation operation = new ScriptOperation(keys, kind, arguments, null);
		operation.deferrable = true;
		return operation;
	}

	static ScriptOperation command(Callable<?> command) {
		return new ScriptOperation(null, null, null, command);
	}

	void runCommand() {
		try {
			this.result.complete(this.command.call());
		}
		catch (Exception ex) {
			this.result.completeExceptionally(ex);
		}
	}

}
