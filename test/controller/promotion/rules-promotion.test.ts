import { describe, expect, it } from "vitest";
import { validateExperiment } from "../../../controller/src/core/experiment/index.js";

function experiment(promotion: unknown) {
  return {
    apiVersion: "cohort.dev/v1alpha1",
    kind: "Experiment",
    metadata: { name: "checkout" },
    spec: {
      target: "shop/checkout",
      testingPattern: "AB",
      baseline: { name: "v1", variables: { tag: "1.0.0" } },
      candidates: [{ name: "v2", variables: { tag: "2.0.0", region: "eu" } }],
      criteria: { reward: { metric: "error-rate", preferredDirection: "Low" } },
      promotion,
    },
  };
}

describe("promotion settings in an experiment", () => {
  it("accepts each backend with its settings", () => {
    for (const promotion of [
      { kind: "none" },
      {
        kind: "kustomize",
        kustomize: { dir: "overlays/prod", images: [{ name: "checkout", newTag: "{{ tag }}" }] },
      },
      {
        kind: "helm",
        timeoutSeconds: 120,
        helm: { release: "checkout", chart: "./chart", values: { "image.tag": "{{tag}}" } },
      },
      { kind: "helm", helm: { valuesFile: "winner.yaml", values: { version: "{{ version }}" } } },
      {
        kind: "command",
        command: { args: ["./promote.sh", "{{ version }}", "{{ name }}", "{{ namespace }}"] },
      },
    ]) {
      expect(validateExperiment(experiment(promotion))).toEqual([]);
    }
  });

  it("asks for the settings of the kind it names and refuses another kind's", () => {
    expect(validateExperiment(experiment({ kind: "helm", command: { args: ["x"] } }))).toEqual([
      { path: "spec.promotion.helm", message: "is required with kind: helm" },
      {
        path: "spec.promotion.command",
        message: "is set but kind is helm; set kind: command or remove it",
      },
    ]);
  });

  it("refuses backend settings that would do nothing or half a helm command", () => {
    expect(validateExperiment(experiment({ kind: "kustomize", kustomize: { dir: "." } }))).toEqual([
      {
        path: "spec.promotion.kustomize",
        message: "sets nothing; give images or nameSuffix so the winner is in the kustomization",
      },
    ]);
    expect(validateExperiment(experiment({ kind: "helm", helm: { release: "checkout" } }))).toEqual(
      [
        {
          path: "spec.promotion.helm.chart",
          message: "is required with release (helm upgrade --install RELEASE CHART)",
        },
      ],
    );
    expect(
      validateExperiment(experiment({ kind: "helm", helm: { valuesFile: "w.yaml" } })),
    ).toEqual([
      {
        path: "spec.promotion.helm.values",
        message: "is required with valuesFile (what to write into it)",
      },
    ]);
  });

  it("names a template variable that some version lacks, and a malformed placeholder", () => {
    expect(
      validateExperiment(
        experiment({
          kind: "command",
          command: { args: ["deploy", "{{ region }}", "{{ a b }}", "{{ tag"] },
        }),
      ),
    ).toEqual([
      {
        path: "spec.promotion.command.args[1]",
        message:
          "uses {{ region }}, which is not a variable of v1; every version that can win needs it (or use version, name, namespace)",
      },
      { path: "spec.promotion.command.args[2]", message: "has a malformed placeholder {{ a b }}" },
      { path: "spec.promotion.command.args[3]", message: 'has an unclosed {{ in "{{ tag"' },
    ]);
  });

  it("refuses unknown fields with a suggestion, since a typo would otherwise be lost", () => {
    expect(validateExperiment(experiment({ kind: "command", comand: { args: ["x"] } }))).toEqual([
      { path: "spec.promotion.comand", message: "unknown field; did you mean command?" },
      { path: "spec.promotion.command", message: "is required with kind: command" },
    ]);
  });
});
