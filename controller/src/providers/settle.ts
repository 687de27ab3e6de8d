/**
 * Like Promise.all, but waits for every promise and, when some failed, throws the failure that
 * comes first in the given order — so a collect that fails in several places (Prometheus down:
 * every query fails) always reports the same one, whatever finished first.
 */
export async function allInOrder<T>(promises: readonly Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(promises);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (failed !== undefined) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
}
