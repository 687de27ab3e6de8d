/**
 * The shape the Kubernetes controller and `cohort run` call (`promote(experiment, version)`, see
 * kube/promoter.ts): their two-phase status record provides exactly-once, so this adapter only
 * runs the backend and hands each result to `onResult` (for logs and events).
 */
import type { Promoter, PromotionResult, PromotionSubject } from "./promoter.js";

export interface ControllerPromoter {
  promote(experiment: PromotionSubject, version: string): Promise<void>;
}

export function forController(
  promoter: Promoter,
  onResult: (experiment: PromotionSubject, result: PromotionResult) => void = () => {},
): ControllerPromoter {
  return {
    async promote(experiment, version) {
      const { namespace, ...rest } = experiment;
      const subject = namespace === undefined || namespace === "" ? rest : { ...rest, namespace };
      const result = await promoter.promote({
        experiment: subject,
        version,
      });
      onResult(experiment, result);
    },
  };
}
