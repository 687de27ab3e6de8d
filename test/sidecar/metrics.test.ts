import { describe, expect, it } from "vitest";
import { Emulator } from "../../sidecar/src/host/index.js";
import { formatG32 } from "../../sidecar/src/host/prometheus.js";
import { istioTagSpecifier, TagExtractor } from "../../sidecar/src/host/tag-extractor.js";
import { probe, put, slot } from "../fixtures/wasm/probe.js";

const V1 = "experiment=.=checkout;.;version=.=v1;.;cohort_requests_total";
const V2 = "experiment=.=checkout;.;version=.=v2;.;cohort_requests_total";
const DUR = "experiment=.=checkout;.;cohort_duration_ms";

const define = (s: { s(t: string): string }, type: number, name: string, out: number) =>
  `(call $proxy_define_metric (i32.const ${type}) ${s.s(name)} (i32.const ${out}))`;
const id = (at: number) => `(i32.load (i32.const ${at}))`;

async function metricsProbe() {
  return probe((s) => ({
    on: {
      proxy_on_configure: `
        ${put(1, define(s, 0, V1, 600))} ${put(2, id(600))}
        ${put(3, define(s, 0, V2, 604))} ${put(4, id(604))}
        ${put(5, define(s, 0, V1, 608))} ${put(6, id(608))}
        ${put(7, define(s, 1, "cohort_active", 612))} ${put(8, id(612))}
        ${put(9, define(s, 2, DUR, 616))} ${put(10, id(616))}
        ${put(11, define(s, 0, "9lives", 620))}
        ${put(12, define(s, 0, "weird.name-x", 624))}
        ${put(13, define(s, 3, "bad_type", 628))}
        (i32.const 1)`,
      proxy_on_request_headers: `
        ${put(20, `(call $proxy_increment_metric ${id(600)} (i64.const 1))`)}
        ${put(21, `(call $proxy_increment_metric ${id(608)} (i64.const 2))`)}
        ${put(22, `(call $proxy_increment_metric ${id(604)} (i64.const 0))`)}
        ${put(23, `(call $proxy_increment_metric ${id(604)} (i64.const -1))`)}
        ${put(24, `(call $proxy_record_metric ${id(604)} (i64.const 5))`)}
        ${put(25, `(call $proxy_increment_metric ${id(612)} (i64.const 10))`)}
        ${put(26, `(call $proxy_increment_metric ${id(612)} (i64.const -3))`)}
        ${put(27, `(call $proxy_get_metric ${id(612)} (i32.const 528))`)}
        ${put(28, "(i32.wrap_i64 (i64.load (i32.const 528)))")}
        ${put(29, `(call $proxy_record_metric ${id(612)} (i64.const 4))`)}
        ${put(30, `(call $proxy_record_metric ${id(616)} (i64.const 3))`)}
        ${put(31, `(call $proxy_record_metric ${id(616)} (i64.const 7))`)}
        ${put(32, `(call $proxy_record_metric ${id(616)} (i64.const 70000))`)}
        ${put(33, `(call $proxy_get_metric ${id(616)} (i32.const 528))`)}
        ${put(34, `(call $proxy_increment_metric ${id(616)} (i64.const 1))`)}
        ${put(35, `(call $proxy_get_metric ${id(600)} (i32.const 528))`)}
        ${put(36, "(i32.wrap_i64 (i64.load (i32.const 528)))")}
        ${put(37, "(call $proxy_get_metric (i32.const 400) (i32.const 528))")}
        ${put(38, "(call $proxy_increment_metric (i32.const 400) (i64.const 1))")}
        ${put(39, "(call $proxy_record_metric (i32.const 401) (i64.const 1))")}
        (i32.const 0)`,
    },
  }));
}

describe("metrics", () => {
  it("hands out Envoy's ids: type in the low bits, a new id per define, same stat per name", async () => {
    const em = await Emulator.start({ wasm: await metricsProbe() });
    expect([1, 3, 5, 7, 9, 11, 12].map((i) => slot(em, i))).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect([2, 4, 6, 8, 10].map((i) => slot(em, i))).toEqual([4, 8, 12, 5, 6]);
    expect(slot(em, 13)).toBe(2);
    em.stream().sendRequestHeaders({});
    // Ids 4 and 12 name the same stat: 1 + 2.
    expect(em.counter(V1)).toBe(3);
  });

  it("refuses counter increments of zero or less, lets gauges go down, records per type", async () => {
    const em = await Emulator.start({ wasm: await metricsProbe() });
    em.stream().sendRequestHeaders({});
    const statuses = [20, 21, 22, 23, 24, 25, 26, 27, 29, 30, 31, 32, 33, 34, 35, 37, 38, 39].map(
      (i) => slot(em, i),
    );
    expect(statuses).toEqual([0, 0, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 2, 2, 0, 1, 1, 1]);
    expect(slot(em, 28)).toBe(7);
    expect(slot(em, 36)).toBe(3);
    expect(em.counter(V2)).toBe(5);
    expect(em.gauge("cohort_active")).toBe(4);
    const h = em.histogram(DUR);
    expect(h?.count).toBe(3);
    expect(h?.sum).toBe(70010);
    expect(h?.buckets.find((b) => b.le === 5)?.count).toBe(1);
    expect(h?.buckets.find((b) => b.le === 10)?.count).toBe(2);
    expect(h?.buckets.find((b) => b.le === 300000)?.count).toBe(3);
    expect(em.counter("absent")).toBeUndefined();
    expect(em.metrics().map((m) => [m.name, m.type])).toEqual([
      [V1, "counter"],
      [V2, "counter"],
      ["cohort_active", "gauge"],
      [DUR, "histogram"],
      ["9lives", "counter"],
      ["weird.name-x", "counter"],
    ]);
  });

  it("renders /stats/prometheus like Envoy's admin, with Istio tags as labels", async () => {
    const em = await Emulator.start({
      wasm: await metricsProbe(),
      extraStatTags: ["experiment", "version"],
    });
    em.stream().sendRequestHeaders({});
    const buckets = [
      ["0.5", 0],
      ["1", 0],
      ["5", 1],
      ["10", 2],
      ["25", 2],
      ["50", 2],
      ["100", 2],
      ["250", 2],
      ["500", 2],
      ["1000", 2],
      ["2500", 2],
      ["5000", 2],
      ["10000", 2],
      ["30000", 2],
      ["60000", 2],
      ["300000", 3],
      ["600000", 3],
      ["1800000", 3],
      ["3600000", 3],
    ]
      .map(([le, n]) => `cohort_duration_ms_bucket{experiment="checkout",le="${le}"} ${n}\n`)
      .join("");
    expect(em.prometheus()).toBe(
      "# TYPE cohort_requests_total counter\n" +
        'cohort_requests_total{experiment="checkout",version="v1"} 3\n' +
        'cohort_requests_total{experiment="checkout",version="v2"} 5\n' +
        "\n" +
        "# TYPE weird_name_x counter\n" +
        "weird_name_x{} 0\n" +
        "\n" +
        "# TYPE cohort_active gauge\n" +
        "cohort_active{} 4\n" +
        "\n" +
        "# TYPE cohort_duration_ms histogram\n" +
        buckets +
        'cohort_duration_ms_bucket{experiment="checkout",le="+Inf"} 3\n' +
        'cohort_duration_ms_sum{experiment="checkout"} 70010\n' +
        'cohort_duration_ms_count{experiment="checkout"} 3\n' +
        "\n",
    );
  });

  it("keeps the tags in the name when extraStatTags does not list them", async () => {
    const em = await Emulator.start({ wasm: await metricsProbe(), extraStatTags: ["version"] });
    expect(em.prometheus()).toContain(
      'experiment___checkout___cohort_requests_total{version="v1"} 0\n',
    );
  });

  it("uses configured histogram buckets", async () => {
    const em = await Emulator.start({ wasm: await metricsProbe(), histogramBuckets: [1, 10] });
    em.stream().sendRequestHeaders({});
    expect(em.prometheus()).toContain(
      'experiment___checkout___cohort_duration_ms_bucket{le="1"} 0\n' +
        'experiment___checkout___cohort_duration_ms_bucket{le="10"} 2\n' +
        'experiment___checkout___cohort_duration_ms_bucket{le="+Inf"} 3\n',
    );
  });
});

describe("tag extraction", () => {
  it("removes the first sub-match and takes the value from the second (lazy up to ;.;)", () => {
    const x = new TagExtractor([istioTagSpecifier("experiment"), istioTagSpecifier("version")]);
    expect(x.extract("wasmcustom.cohort_requests_experiment=.=a;b;.;version=.=v1;.;total")).toEqual(
      {
        tagExtractedName: "wasmcustom.cohort_requests_total",
        tags: [
          { name: "experiment", value: "a;b" },
          { name: "version", value: "v1" },
        ],
      },
    );
  });

  it("leaves a name without tags alone", () => {
    const x = new TagExtractor([istioTagSpecifier("version")]);
    expect(x.extract("wasmcustom.plain")).toEqual({
      tagExtractedName: "wasmcustom.plain",
      tags: [],
    });
  });
});

describe("number formatting", () => {
  it("prints numbers like fmt's {:.32g}", () => {
    // Reference: python3 -c "print('%.32g' % x)" for each x (C printf %g = fmt's g).
    expect(formatG32(0.5)).toBe("0.5");
    expect(formatG32(3600000)).toBe("3600000");
    expect(formatG32(0.1)).toBe("0.10000000000000000555111512312578");
    expect(formatG32(1e-5)).toBe("1.0000000000000000818030539140313e-05");
    expect(formatG32(2.5e40)).toBe("2.5000000000000000155002161260195e+40");
    expect(formatG32(123456.789)).toBe("123456.78900000000430736690759659");
  });
});
