/**
 * The exactly rounded sum of finite doubles: every double is an integer multiple of 2^-1074, so
 * the sum is computed exactly as a BigInt count of 2^-1074 units and rounded once (to nearest,
 * ties to even), like a correctly rounded `Math.sumPrecise`.
 */
export function exactSum(values: readonly number[]): number {
  let total = 0n;
  for (const v of values) total += scaled(v);
  return toDouble(total);
}

function scaled(v: number): bigint {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, v);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const sign = hi >>> 31 ? -1n : 1n;
  const exp = (hi >>> 20) & 0x7ff;
  const mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  // subnormal: mant * 2^-1074; normal: (2^52 + mant) * 2^(exp - 1075)
  const units = exp === 0 ? mant : ((1n << 52n) | mant) << BigInt(exp - 1);
  return sign * units;
}

function toDouble(units: bigint): number {
  if (units === 0n) return 0;
  const negative = units < 0n;
  let mag = negative ? -units : units;
  const bits = mag.toString(2).length;
  let shift = 0;
  if (bits > 53) {
    shift = bits - 53;
    const q = mag >> BigInt(shift);
    const r = mag - (q << BigInt(shift));
    const half = 1n << BigInt(shift - 1);
    mag = r > half || (r === half && (q & 1n) === 1n) ? q + 1n : q;
  }
  // mag < 2^54 is exact as a Number and 2 ** k is exact down to 2^-1074, so this product is the
  // rounded sum itself (or Infinity past the largest double).
  const value = Number(mag) * 2 ** (shift - 1074);
  return negative ? -value : value;
}
