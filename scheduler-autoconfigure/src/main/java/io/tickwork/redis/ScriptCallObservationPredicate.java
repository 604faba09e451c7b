package io.tickwork.redis;

import java.util.Set;

import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.RedisCommand;
import io.lettuce.core.tracing.LettuceObservationContext;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationPredicate;

/**
 * Leaves Tickwork's own script calls (known by their digests) out of Lettuce's command
 * observations (Spring Boot's {@code lettuce} timers and spans); every other command is
 * observed as before.
 * <p>
 * One call of Tickwork's scripts serves many fires or queued jobs, is sent by a background
 * thread rather than by the code it serves, and runs thousands of times a second under
 * load: as an observation each, it would cost an observation per call and fill the
 * application's Redis metrics and traces with Tickwork's plumbing. Tickwork's own
 * observations ({@code tickwork.job.execution}) and metrics describe that work instead. A
 * script sent whole after Redis answered that it does not know it ({@code EVAL}, rare) is
 * still observed.
 *
 * @author Tickwork team
 * @since 0.2.0
 */
public final class ScriptCallObservationPredicate implements ObservationPredicate {

	private static final Set<String> DIGESTS = Set.of(ScriptPipe.SCRIPT_SHA, RedisQueueStore.SHA);

	@Override
	public boolean test(String name, Observation.Context context) {
		if (!(context instanceof LettuceObservationContext lettuce) || !lettuce.hasCommand()) {
			return true;
		}
		RedisCommand<?, ?, ?> command = lettuce.getRequiredCommand();
		if (command.getType() != CommandType.EVALSHA || command.getArgs() == null) {
			return true;
		}
		String digest = command.getArgs().getFirstString();
		return digest == null || !DIGESTS.contains(digest);
	}

}
