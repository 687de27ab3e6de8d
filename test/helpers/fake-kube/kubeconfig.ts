import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";

export interface KubeconfigOptions {
  server: string;
  token: string;
  /** The context's default namespace. */
  namespace?: string;
  contextName?: string;
}

/**
 * A kubeconfig for the fake server. The server speaks plain HTTP, which `@kubernetes/client-node`
 * 1.x only allows with `insecure-skip-tls-verify: true` (KubeConfig.createAgent); the bearer token
 * is checked by the fake, so a client that drops its credentials fails as it would on a cluster.
 */
export function kubeconfigYaml(o: KubeconfigOptions): string {
  const name = o.contextName ?? "fake-kube";
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name, cluster: { server: o.server, "insecure-skip-tls-verify": true } }],
    users: [{ name, user: { token: o.token } }],
    contexts: [
      { name, context: { cluster: name, user: name, namespace: o.namespace ?? "default" } },
    ],
    "current-context": name,
    preferences: {},
  });
}

/** Writes the kubeconfig to `path`, or to a fresh temporary directory; returns the file's path. */
export async function writeKubeconfigFile(o: KubeconfigOptions, path?: string): Promise<string> {
  const file = path ?? join(await mkdtemp(join(tmpdir(), "fake-kube-")), "kubeconfig.yaml");
  await writeFile(file, kubeconfigYaml(o), { mode: 0o600 });
  return file;
}
