import { describe, expect, it } from "vitest";
import {
  isTemplateError,
  promqlDuration,
  renderTemplate,
  type TemplateContext,
} from "../../../controller/src/providers/index.js";

const ctx: TemplateContext = {
  metric: "conversion",
  version: "v2",
  name: "checkout",
  elapsedSeconds: 600,
  variables: { region: "eu-west", tier: "gold" },
};

describe("renderTemplate", () => {
  it("fills version, name, elapsed and the version's variables, with or without spaces", () => {
    expect(
      renderTemplate(
        'sum(increase(orders_total{exp="{{name}}",version="{{ version }}",region="{{  region }}"}[{{ elapsed }}]))',
        ctx,
      ),
    ).toBe('sum(increase(orders_total{exp="checkout",version="v2",region="eu-west"}[600s]))');
  });

  it("escapes values for a PromQL string literal, so a quote cannot end the literal", () => {
    const tricky = { ...ctx, variables: { region: 'eu"} or vector(1) #\\' } };
    expect(renderTemplate('x{region="{{ region }}"}', tricky)).toBe(
      'x{region="eu\\"} or vector(1) #\\\\"}',
    );
  });

  it("writes elapsed as whole seconds, at least one", () => {
    expect(promqlDuration(0)).toBe("1s");
    expect(promqlDuration(599.2)).toBe("600s");
    expect(renderTemplate("[{{ elapsed }}]", { ...ctx, elapsedSeconds: 0 })).toBe("[1s]");
  });

  it("names an unknown placeholder and what the version knows", () => {
    expect(() => renderTemplate('x{zone="{{ zone }}"}', ctx)).toThrow(
      "query template of metric conversion: unknown placeholder {{ zone }} for version v2; known: version, name, elapsed, and its variables region, tier",
    );
    expect(() => renderTemplate("{{ region }}", { ...ctx, version: "v3", variables: {} })).toThrow(
      "query template of metric conversion: unknown placeholder {{ region }} for version v3; known: version, name, elapsed (it has no variables)",
    );
  });

  it("refuses malformed and unclosed placeholders", () => {
    expect(() => renderTemplate("{{ a b }}", ctx)).toThrow(
      "query template of metric conversion: malformed placeholder {{ a b }}",
    );
    const err = (() => {
      try {
        renderTemplate('x{v="{{ version }"}', ctx);
      } catch (e) {
        return e;
      }
    })();
    expect(isTemplateError(err)).toBe(true);
    expect((err as Error).message).toBe(
      'query template of metric conversion: unclosed placeholder in "x{v=\\"{{ version }\\"}"',
    );
  });
});
