package io.tickwork.engine;

import java.nio.charset.StandardCharsets;
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
		long high = random.nextLong() & 0xFFFFL;
		long low = random.nextLong();
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
