/** The workload of the filter benchmark: three experiments and requests with 20 headers. */
const HOSTS = ["checkout", "pricing", "search"].map((h) => `${h}.shop.svc.cluster.local`);

/** Three experiments; requests go to the last one, so the filter tries all three hosts. */
export const BENCH_CONFIG = {
  experiments: HOSTS.map((host, i) => ({
    name: `exp${i + 1}`,
    hosts: [host],
    segment: { all: [{ header: "x-country", oneOf: ["wakanda", "genovia"] }] },
    stickyKey: ["header:x-user-id", "cookie:uid"],
    baseline: "v1",
    versions: [
      { name: "v1", weight: 80 },
      { name: "v2", weight: 15 },
      { name: "v3", weight: 5 },
    ],
    mirror: { version: "v4", percent: 10 },
    salt: `exp${i + 1}`,
  })),
};

/** A pool of requests with 20 headers each (distinct users), built before timing. */
export function requests(n: number): [string, string][][] {
  const out: [string, string][][] = [];
  for (let i = 0; i < n; i++) {
    out.push([
      [":method", "GET"],
      [":path", `/api/items/${i}?page=2`],
      [":scheme", "https"],
      [":authority", HOSTS[2] as string],
      ["user-agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36"],
      ["accept", "application/json"],
      ["accept-encoding", "gzip, deflate, br"],
      ["accept-language", "en-US,en;q=0.9"],
      ["x-request-id", `0f8c2d1e-${i.toString(16).padStart(8, "0")}-4b5a-9c3d`],
      ["x-b3-traceid", "80f198ee56343ba864fe8b2a57d3eff7"],
      ["x-b3-spanid", "e457b5a2e4d86bd1"],
      ["x-b3-sampled", "1"],
      ["x-forwarded-for", "10.0.0.1"],
      ["x-forwarded-proto", "https"],
      ["x-envoy-attempt-count", "1"],
      ["x-country", i % 3 === 0 ? "narnia" : "wakanda"],
      ["x-user-id", `user-${i}`],
      ["cookie", `theme=dark; uid=user-${i}; session=abc`],
      ["content-type", "application/json"],
      ["x-client-version", "4.2.1"],
    ]);
  }
  return out;
}
