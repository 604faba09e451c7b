package io.tickwork.engine;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Makes execution ids: 26 Crockford base-32 characters, 48 bits of milliseconds then 80
 * random bits, so ids sort by creation time and never collide in practice. Thread-safe.
 *
 * @author Tickwork team
 * @since 0.1.0
 */
public final class ExecutionIds {

	private static final byte[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".getBytes(StandardCharsets.US_ASCII);

	private ExecutionIds() {
	}

	/**
	 * A new id.
	 * @param epochMillis the creation time
	 * @return the id
	 */
	public static String next(long epochMillis) {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		return format(epochMillis, random.nextLong() & 0xFFFFL, random.nextLong());
	}

	/**
	 * The id that every instance gives the same thing, such as the record of a fire that no
	 * instance could claim: the time, then 80 bits of a hash of the name, so that the
	 * history, which records an id once, keeps one record however many instances write it.
	 * @param epochMillis the time the id stands for
	 * @param name what the id stands for at that time
	 * @return the id
	 * @since 0.1.0
	 */
	public static String of(long epochMillis, String name) {
		UUID hash = UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
		return format(epochMillis, hash.getMostSignificantBits() & 0xFFFFL, hash.getLeastSignificantBits());
	}

	private static String format(long epochMillis, long high, long low) {
		// Latin-1 bytes, as a String keeps them: half the array a char[] would take, and no conversion
		byte[] chars = new byte[26];
		for (int i = 9; i >= 0; i--) {
			chars[i] = ALPHABET[(int) (epochMillis & 31)];
			epochMillis >>>= 5;
		}
		for (int i = 25; i >= 10; i--) {
			chars[i] = ALPHABET[(int) (low & 31)];
			low = (low >>> 5) | ((high & 31) << 59);
			high >>>= 5;
		}
		return new String(chars, StandardCharsets.ISO_8859_1);
	}

}
