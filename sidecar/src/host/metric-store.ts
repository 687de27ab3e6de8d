import { MetricKind, type MetricType, Status } from "./abi.js";

/** Envoy's default histogram bucket bounds (source/common/stats/histogram_impl.cc). */
export const ENVOY_DEFAULT_BUCKETS: readonly number[] = [
  0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000,
  1800000, 3600000,
];

/** The namespace Envoy puts in front of every Wasm-defined stat (Wasm::custom_stat_namespace_). */
export const WASM_STAT_NAMESPACE = "wasmcustom";

/** One stat; several metric ids may point at it (each define hands out a new id). */
export interface Stat {
  /** Full Envoy stat name, `wasmcustom.<name>`. */
  fullName: string;
  /** The name the guest defined. */
  name: string;
  type: MetricType;
  value: number;
  /** Histograms: samples per bucket (index i counts values in (bound[i-1], bound[i]]). */
  bucketCounts: number[];
  sum: number;
}

const typeNames: MetricType[] = ["counter", "gauge", "histogram"];
const KIND_MASK = 0x3;
const ID_INCREMENT = 0x4;

/**
 * Metric ids and values with Envoy's semantics (source/extensions/common/wasm/context.cc
 * defineMetric/incrementMetric/recordMetric/getMetric and wasm.h next*MetricId): the low two bits
 * of an id are its type; every define hands out a fresh id (counters 4, 8, ...; gauges 5, 9, ...;
 * histograms 6, 10, ...), and defining a name twice yields two ids bound to the same stat.
 */
export class MetricStore {
  private readonly byId = new Map<number, Stat>();
  private readonly byName = new Map<string, Stat>();
  private nextId = [0, 1, 2];

  constructor(readonly bucketBounds: readonly number[] = ENVOY_DEFAULT_BUCKETS) {}

  define(kind: number, name: string): { status: number; id: number } {
    if (kind > MetricKind.Histogram) return { status: Status.BadArgument, id: 0 };
    const type = typeNames[kind] as MetricType;
    const fullName = `${WASM_STAT_NAMESPACE}.${name}`;
    const key = `${type}|${fullName}`;
    let stat = this.byName.get(key);
    if (!stat) {
      stat = { fullName, name, type, value: 0, bucketCounts: [], sum: 0 };
      if (type === "histogram") stat.bucketCounts = new Array(this.bucketBounds.length + 1).fill(0);
      this.byName.set(key, stat);
    }
    const id = ((this.nextId[kind] as number) + ID_INCREMENT) >>> 0;
    this.nextId[kind] = id;
    this.byId.set(id, stat);
    return { status: Status.Ok, id };
  }

  increment(id: number, offset: number): number {
    const kind = id & KIND_MASK;
    const stat = this.byId.get(id);
    if (kind === MetricKind.Counter) {
      if (!stat) return Status.NotFound;
      if (offset > 0) {
        stat.value += offset;
        return Status.Ok;
      }
      return Status.BadArgument;
    }
    if (kind === MetricKind.Gauge) {
      if (!stat) return Status.NotFound;
      stat.value = Math.max(0, stat.value + offset);
      return Status.Ok;
    }
    return Status.BadArgument;
  }

  record(id: number, value: number): number {
    const stat = this.byId.get(id);
    if (!stat) return Status.NotFound;
    if (stat.type === "counter") stat.value += value;
    else if (stat.type === "gauge") stat.value = value;
    else {
      const bounds = this.bucketBounds;
      let i = 0;
      while (i < bounds.length && value > (bounds[i] as number)) i++;
      stat.bucketCounts[i] = (stat.bucketCounts[i] as number) + 1;
      stat.sum += value;
      stat.value++;
    }
    return Status.Ok;
  }

  get(id: number): { status: number; value: number } {
    const kind = id & KIND_MASK;
    if (kind === MetricKind.Histogram || kind === 3)
      return { status: Status.BadArgument, value: 0 };
    const stat = this.byId.get(id);
    if (!stat) return { status: Status.NotFound, value: 0 };
    return { status: Status.Ok, value: stat.value };
  }

  /** Every stat, in definition order. */
  stats(): Stat[] {
    return [...this.byName.values()];
  }

  find(type: MetricType, name: string): Stat | undefined {
    return this.byName.get(`${type}|${WASM_STAT_NAMESPACE}.${name}`);
  }
}
