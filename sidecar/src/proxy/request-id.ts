import { randomUUID } from "node:crypto";
import { SeededRandom } from "../host/seeded-random.js";

/**
 * Makes `x-request-id` values the way Envoy's HCM does when a request arrives without one
 * (UUID v4, `generate_request_id: true` by default). With a seed the sequence is reproducible,
 * which tests use: the filter falls back to `x-request-id` when no sticky key is present.
 */
export function requestIdGenerator(seed?: number): () => string {
  if (seed === undefined) return () => randomUUID();
  const rng = new SeededRandom(seed);
  const bytes = new Uint8Array(16);
  return () => {
    rng.fill(bytes);
    bytes[6] = ((bytes[6] as number) & 0x0f) | 0x40;
    bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
    const h = Buffer.from(bytes).toString("hex");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  };
}
