/** An experiment to promote, with the promotion settings a test gives. */
import type { Promotion } from "../../../controller/src/core/experiment/index.js";
import type { PromotionSubject } from "../../../controller/src/promotion/index.js";

export function subject(
  promotion: Promotion,
  variables: Record<string, string> = {},
): PromotionSubject {
  return {
    name: "checkout",
    namespace: "shop",
    spec: {
      target: "shop/checkout",
      testingPattern: "AB",
      baseline: { name: "v1", variables: { tag: "1.0.0", ...variables } },
      candidates: [{ name: "v2", variables: { tag: "2.0.0", ...variables } }],
      criteria: {},
      promotion,
    },
  };
}
