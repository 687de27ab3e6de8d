import {
  ApiException,
  CoordinationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
} from "@kubernetes/client-node";
import type { FakeKubeApiServer } from "./fake-kube-apiserver.js";
import type { Status } from "./status.js";

/** client-node clients configured the way the controller will be: from a kubeconfig file. */
export interface FakeKubeClients {
  kubeconfigPath: string;
  kc: KubeConfig;
  custom: CustomObjectsApi;
  core: CoreV1Api;
  coordination: CoordinationV1Api;
}

export async function connect(
  fake: FakeKubeApiServer,
  namespace = "default",
): Promise<FakeKubeClients> {
  const kubeconfigPath = await fake.writeKubeconfig(undefined, { namespace });
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  return {
    kubeconfigPath,
    kc,
    custom: kc.makeApiClient(CustomObjectsApi),
    core: kc.makeApiClient(CoreV1Api),
    coordination: kc.makeApiClient(CoordinationV1Api),
  };
}

/** The HTTP code and Status body of a rejected client-node call; throws if it did not reject. */
export async function apiError(call: Promise<unknown>): Promise<{ code: number; status: Status }> {
  try {
    await call;
  } catch (e) {
    if (e instanceof ApiException) {
      const body = typeof e.body === "string" ? JSON.parse(e.body) : e.body;
      return { code: e.code, status: body as Status };
    }
    throw e;
  }
  throw new Error("expected the API call to fail, but it succeeded");
}
