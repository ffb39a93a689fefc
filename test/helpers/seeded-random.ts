/**
 * A deterministic pseudo-random stream in [0, 1), so property tests and benches see the same
 * data on every run. The usual linear congruential step modulo 2^31, in 32-bit integer
 * arithmetic: done in doubles, `s * 1103515245` exceeds 2^53 and loses its low bits, which
 * made the stream repeat early (a bench's 500,000 patrols landed on 9,000 duties).
 */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1_103_515_245) + 12_345) & 0x7fffffff;
    return s / 2 ** 31;
  };
}
