package io.tickwork.redis;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.tickwork.JobExecution.Trigger;
import io.tickwork.lock.Claim;
import io.tickwork.lock.ClaimRequest;
import io.tickwork.state.JobStateStore.ClaimedAhead;
import io.tickwork.state.JobStateStore.FireAnswer;
import io.tickwork.state.JobStateStore.FireClaim;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The batch script's claim answers as the engine reads them.
 */
class ScriptCodecTests {

	private static final ClaimRequest REQUEST = new ClaimRequest("job", Instant.ofEpochMilli(1_000), Trigger.SCHEDULE,
			true, Duration.ofSeconds(30), "a", "e1", Instant.ofEpochMilli(1_000), false);

	private static Claim claimed(String answer) {
		return ScriptCodec.claimed(REQUEST, "token", answer);
	}

	@Test
	void refusalsTellHowFarTheFiresAreSettledAndWhatIsClaimedAhead() {
		assertThat(claimed("C")).isEqualTo(new Claim(Claim.Status.ALREADY_CLAIMED, null, null, null));
		assertThat(claimed("C 5000")).isEqualTo(
				new Claim(Claim.Status.ALREADY_CLAIMED, null, Instant.ofEpochMilli(5_000), null));
		assertThat(claimed("C 5000 4")).isEqualTo(new Claim(Claim.Status.ALREADY_CLAIMED, null, null,
				new ClaimedAhead(Instant.ofEpochMilli(5_000), 4)));
		// older than a full window: settled up to its oldest fire, with the claimed fires after that
		assertThat(claimed("C 3000 5000 15")).isEqualTo(new Claim(Claim.Status.ALREADY_CLAIMED, null,
				Instant.ofEpochMilli(3_000), new ClaimedAhead(Instant.ofEpochMilli(5_000), 15)));
		assertThat(claimed("O 7000")).isEqualTo(
				new Claim(Claim.Status.SUPERSEDED, null, Instant.ofEpochMilli(7_000), null));
		assertThat(claimed("A 12").lease().fencingToken()).isEqualTo(12);
	}

	@Test
	void fireAnswersReadTheSameForms() {
		assertThat(ScriptCodec.fireAnswer("1")).isEqualTo(new FireAnswer(FireClaim.TAKEN, null));
		assertThat(ScriptCodec.fireAnswer("C 3000 5000 15")).isEqualTo(new FireAnswer(FireClaim.CLAIMED,
				Instant.ofEpochMilli(3_000), new ClaimedAhead(Instant.ofEpochMilli(5_000), 15)));
		assertThat(ScriptCodec.fireAnswer("C 5000 2"))
			.isEqualTo(new FireAnswer(FireClaim.CLAIMED, null, new ClaimedAhead(Instant.ofEpochMilli(5_000), 2)));
		assertThat(ScriptCodec.fireAnswer("O 7000"))
			.isEqualTo(new FireAnswer(FireClaim.SUPERSEDED, Instant.ofEpochMilli(7_000)));
	}

}
