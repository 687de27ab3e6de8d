/** Valid experiment documents for the tests to break one field at a time. */
type Doc = Record<string, unknown> & {
  spec: Record<string, unknown> & { criteria: Record<string, unknown> };
};

export function canary(): Doc {
  return {
    apiVersion: "cohort.dev/v1alpha1",
    kind: "Experiment",
    metadata: { name: "checkout", namespace: "shop" },
    spec: {
      target: "shop/checkout",
      testingPattern: "Canary",
      baseline: { name: "v1" },
      candidates: [{ name: "v2" }],
      criteria: {
        objectives: [
          { metric: "latency-p99", upperLimit: 50 },
          { metric: "error-rate", upperLimit: 0.01 },
        ],
      },
    },
  };
}

export function abn(): Doc {
  const doc = canary();
  doc.spec.testingPattern = "ABN";
  doc.spec.candidates = [{ name: "v2" }, { name: "v3" }];
  doc.spec.criteria.reward = { metric: "conversion", preferredDirection: "High" };
  doc.spec.metrics = [
    { name: "conversion", type: "rate", provider: "prometheus", count: "c", successes: "s" },
  ];
  return doc;
}
