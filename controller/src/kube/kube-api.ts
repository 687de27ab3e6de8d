/**
 * The few API calls the controller makes, through `@kubernetes/client-node` unchanged. Writes are
 * JSON merge patches (client-node 1.4 sends JSON patch unless told otherwise).
 */
import {
  CoordinationV1Api,
  CoreV1Api,
  type CoreV1Event,
  CustomObjectsApi,
  type KubeConfig,
  PatchStrategy,
  setHeaderOptions,
} from "@kubernetes/client-node";
import { EXPERIMENTS, type ExperimentObject } from "./experiment-object.js";
import { isNotFound, kubeCall } from "./kube-errors.js";

const mergePatch = setHeaderOptions("Content-Type", PatchStrategy.MergePatch);

export const WASM_PLUGINS = {
  group: "extensions.istio.io",
  version: "v1alpha1",
  plural: "wasmplugins",
} as const;

export interface WasmPluginObject {
  apiVersion?: string;
  kind?: string;
  metadata: { name: string; namespace: string; resourceVersion?: string };
  spec?: { pluginConfig?: unknown; [k: string]: unknown };
}

export class KubeApi {
  readonly custom: CustomObjectsApi;
  readonly core: CoreV1Api;
  readonly coordination: CoordinationV1Api;

  constructor(readonly kc: KubeConfig) {
    this.custom = kc.makeApiClient(CustomObjectsApi);
    this.core = kc.makeApiClient(CoreV1Api);
    this.coordination = kc.makeApiClient(CoordinationV1Api);
  }

  /** The experiment, or undefined when it no longer exists. */
  async getExperiment(namespace: string, name: string): Promise<ExperimentObject | undefined> {
    try {
      return (await this.custom.getNamespacedCustomObject({
        ...EXPERIMENTS,
        namespace,
        name,
      })) as ExperimentObject;
    } catch (e) {
      if (isNotFound(e)) return undefined;
      return kubeCall(`get experiment ${namespace}/${name}`, () => Promise.reject(e));
    }
  }

  async listExperiments(namespace: string): Promise<ExperimentObject[]> {
    const list = (await kubeCall(`list experiments in ${namespace}`, () =>
      this.custom.listNamespacedCustomObject({ ...EXPERIMENTS, namespace }),
    )) as { items?: ExperimentObject[] };
    return list.items ?? [];
  }

  /**
   * Merge-patches the status subresource at `resourceVersion`: a 409 says someone wrote in between
   * (the caller re-reads and recomputes). Returns the stored object.
   */
  patchExperimentStatus(o: ExperimentObject, statusPatch: unknown): Promise<ExperimentObject> {
    const { namespace, name, resourceVersion } = o.metadata;
    return kubeCall(
      `patch status of experiment ${namespace}/${name}`,
      async () =>
        (await this.custom.patchNamespacedCustomObjectStatus(
          {
            ...EXPERIMENTS,
            namespace,
            name,
            body: { metadata: { resourceVersion }, status: statusPatch },
          },
          mergePatch,
        )) as ExperimentObject,
    );
  }

  async getWasmPlugin(namespace: string, name: string): Promise<WasmPluginObject | undefined> {
    try {
      return (await this.custom.getNamespacedCustomObject({
        ...WASM_PLUGINS,
        namespace,
        name,
      })) as WasmPluginObject;
    } catch (e) {
      if (isNotFound(e)) return undefined;
      return kubeCall(`get WasmPlugin ${namespace}/${name}`, () => Promise.reject(e));
    }
  }

  /** Replaces `spec.pluginConfig` (a merge patch at the read resourceVersion). */
  patchPluginConfig(p: WasmPluginObject, pluginConfig: unknown): Promise<WasmPluginObject> {
    const { namespace, name, resourceVersion } = p.metadata;
    return kubeCall(
      `patch pluginConfig of WasmPlugin ${namespace}/${name}`,
      async () =>
        (await this.custom.patchNamespacedCustomObject(
          {
            ...WASM_PLUGINS,
            namespace,
            name,
            // arrays merge whole and the config always has the same top-level members, so this
            // merge replaces the config
            body: { metadata: { resourceVersion }, spec: { pluginConfig } },
          },
          mergePatch,
        )) as WasmPluginObject,
    );
  }

  createEvent(namespace: string, body: CoreV1Event): Promise<CoreV1Event> {
    return kubeCall(`create event in ${namespace}`, () =>
      this.core.createNamespacedEvent({ namespace, body }),
    );
  }
}
