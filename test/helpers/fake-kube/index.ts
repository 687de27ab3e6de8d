export { FakeKubeApiServer, type FakeKubeOptions } from "./fake-kube-apiserver.js";
export type { Fault, FaultMatch, FaultRule } from "./faults.js";
export { kubeconfigYaml, writeKubeconfigFile } from "./kubeconfig.js";
export type { RequestPredicate, RequestRecord } from "./request-log.js";
export {
  APPLY_PATCH,
  JSON_PATCH,
  MERGE_PATCH,
  STRATEGIC_MERGE_PATCH,
} from "./resource-api.js";
export {
  apiVersionOf,
  defaultKinds,
  type KubeObject,
  type ObjectMeta,
  type ResourceKind,
} from "./resource-kinds.js";
export type { Status, StatusCause } from "./status.js";
