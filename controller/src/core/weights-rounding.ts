/**
 * Integer percentages that sum to 100, by the largest-remainder (Hamilton) method: every share is
 * rounded down, and the missing points go to the largest fractional parts (ties to the earlier key).
 */
export function roundToPercent(shares: Record<string, number>): Record<string, number> {
  const keys = Object.keys(shares);
  const total = keys.reduce((sum, k) => sum + Math.max(0, shares[k] ?? 0), 0);
  const out: Record<string, number> = {};
  if (keys.length === 0) return out;
  if (total <= 0) {
    for (const k of keys) out[k] = 0;
    out[keys[0] as string] = 100;
    return out;
  }
  const exact = keys.map((k) => (Math.max(0, shares[k] ?? 0) / total) * 100);
  const floors = exact.map((x) => Math.floor(x + 1e-9));
  let missing = 100 - floors.reduce((a, b) => a + b, 0);
  const order = keys
    .map((_, i) => i)
    .sort(
      (a, b) => (exact[b] ?? 0) - (floors[b] ?? 0) - ((exact[a] ?? 0) - (floors[a] ?? 0)) || a - b,
    );
  for (const i of order) {
    if (missing <= 0) break;
    floors[i] = (floors[i] ?? 0) + 1;
    missing--;
  }
  keys.forEach((k, i) => {
    out[k] = floors[i] ?? 0;
  });
  return out;
}
