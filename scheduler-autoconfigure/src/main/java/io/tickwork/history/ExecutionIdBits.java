package io.tickwork.history;

/**
 * Packs the engine's execution ids (26 Crockford base-32 characters, the first below 8:
 * 128 bits) into two longs and back, so that a history can keep them without a string.
 */
final class ExecutionIdBits {

	private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

	private static final byte[] VALUES = new byte[128];

	static {
		java.util.Arrays.fill(VALUES, (byte) -1);
		for (int i = 0; i < ALPHABET.length; i++) {
			VALUES[ALPHABET[i]] = (byte) i;
		}
	}

	private ExecutionIdBits() {
	}

	/**
	 * Packs an id into {@code bits} if it has the engine's form.
	 * @param id the id
	 * @param bits receives the high and the low long
	 * @return whether the id was packed; if not, {@code bits} is unspecified
	 */
	static boolean pack(String id, long[] bits) {
		if (id.length() != 26) {
			return false;
		}
		long high = 0;
		long low = 0;
		for (int i = 0; i < 26; i++) {
			char c = id.charAt(i);
			int value = (c < 128) ? VALUES[c] : -1;
			if (value < 0 || (i == 0 && value > 7)) {
				return false;
			}
			high = (high << 5) | (low >>> 59);
			low = (low << 5) | value;
		}
		bits[0] = high;
		bits[1] = low;
		return true;
	}

	static String unpack(long high, long low) {
		char[] chars = new char[26];
		for (int i = 25; i >= 0; i--) {
			chars[i] = ALPHABET[(int) (low & 31)];
			low = (low >>> 5) | (high << 59);
			high >>>= 5;
		}
		return new String(chars);
	}

}
