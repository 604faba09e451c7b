/**
 * The Redis implementations of the lock, history and state SPIs, sharing one
 * {@link io.tickwork.redis.RedisJobStore}: {@code ScriptCodec} says what each operation of
 * the Lua script {@code batch.lua} takes and answers, {@code ScriptPipe} sends waiting
 * operations as one script call with their deadlines, and {@code ExecutionCodec} writes
 * executions as JSON. Depends on the SPIs, the API and Spring Data Redis; not on the engine.
 */
package io.tickwork.redis;
