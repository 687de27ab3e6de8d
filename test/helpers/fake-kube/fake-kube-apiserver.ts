/**
 * A wire-level fake Kubernetes API server for tests: a Node `http` server on 127.0.0.1 speaking
 * the REST protocol `@kubernetes/client-node` 1.4 uses, reached through a kubeconfig so the code
 * under test runs unchanged.
 *
 * Implemented, with the API server's semantics (see the modules for the rules and references):
 * - Resources by group/version/namespace/plural: core `/api/v1`, named groups `/apis/<g>/<v>`,
 *   namespaced and cluster-scoped; the Cohort CRD, Istio WasmPlugin/VirtualService/DestinationRule,
 *   Leases, core and events.k8s.io Events, ConfigMaps, Secrets, Namespaces; `register()` adds more.
 * - get, list (labelSelector incl. set-based, fieldSelector on metadata.name/namespace and the
 *   kind's own fields, resourceVersion + resourceVersionMatch, limit/continue), watch (chunked
 *   JSON lines from a resourceVersion, initial ADDED events without one, BOOKMARKs on request,
 *   410 Expired as an ERROR event once history is compacted, timeoutSeconds), create (409
 *   AlreadyExists, generateName), update with optimistic concurrency (409 Conflict), merge patch,
 *   JSON patch (with `test`), strategic merge patch (415 on custom resources, treated as a merge
 *   patch on built-ins), delete (preconditions, finalizers), deletecollection, the `/status`
 *   subresource, generation, no-op writes that store nothing, dryRun=All, discovery, bearer auth.
 * - Errors are `metav1.Status` bodies with reason, code, message and details.
 * - Test hooks: `failNext` (409/500/410/429/503/connection reset for the next N matching
 *   requests), `compact`, `closeWatches`/`resetWatches`/`suspendWatches`/`resumeWatches`,
 *   `setWatchTimeout`, `sendBookmarks`, the request log with `waitForRequest`, and `stop`.
 *
 * Usage:
 *   const fake = await FakeKubeApiServer.start();
 *   process.env.KUBECONFIG = await fake.writeKubeconfig();   // or kc.loadFromString(fake.kubeconfig())
 *   ...run the controller; assert on fake.object(...), fake.requests(...)...
 *   await fake.stop();
 * client-node 1.4 sends `application/json-patch+json` from the generated patch methods unless the
 * call passes `setHeaderOptions("Content-Type", PatchStrategy.MergePatch)`. It returns MicroTime
 * fields (Lease renewTime/acquireTime) as strings although it types them as Date. Its informers
 * re-list on 410 but stop on any other watch error (a dropped connection included): the caller
 * must restart them from the `error` handler.
 *
 * Not implemented: server-side apply (`application/apply-patch+yaml` gets 415), strategic merge
 * list semantics (patchMergeKey, `$patch` directives), managedFields, admission and RBAC, CRD
 * schema validation (pass a `validate` function when registering), namespace existence checks,
 * graceful deletion periods, protobuf/CBOR, table output, TLS (the kubeconfig skips verification).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { discoveryDocument } from "./discovery.js";
import { type Fault, type FaultMatch, type FaultRule, faultStatus, matches } from "./faults.js";
import { kubeconfigYaml, writeKubeconfigFile } from "./kubeconfig.js";
import { RequestLog, type RequestPredicate, type RequestRecord } from "./request-log.js";
import { type ListQuery, ResourceApi, resourceId } from "./resource-api.js";
import {
  apiVersionOf,
  defaultKinds,
  type KubeObject,
  type ResourceKind,
} from "./resource-kinds.js";
import { type RequestInfo, resolveRequest } from "./routes.js";
import { badRequest, failure, internalError, type Status, StatusError } from "./status.js";
import { objectKey, Store } from "./store.js";
import { WatchHub } from "./watch-hub.js";
import type { WatchStream } from "./watch-stream.js";

export interface FakeKubeOptions {
  /** Resource kinds served; defaults to `defaultKinds`. */
  kinds?: readonly ResourceKind[];
  /** The first resourceVersion; later writes count up from it. */
  initialResourceVersion?: number;
  /** Keep at most this many changes (older ones are compacted), like a bounded watch cache. */
  maxHistory?: number;
  /** Watches close after this long unless the client asked for less (`timeoutSeconds`). */
  watchTimeoutMs?: number;
  /** Bearer token the server requires; the kubeconfig carries it. */
  token?: string;
  /** Clock for creationTimestamp and deletionTimestamp. */
  now?: () => Date;
}

function firstHeader(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function parseJson(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The fake API server. Start it with `FakeKubeApiServer.start()`; always `stop()` it. */
export class FakeKubeApiServer {
  readonly store: Store;
  private readonly api: ResourceApi;
  private readonly kindList: ResourceKind[];
  private readonly log = new RequestLog();
  private readonly faults: FaultRule[] = [];
  private readonly hub: WatchHub;
  private readonly token: string;
  private url_ = "";

  private constructor(
    private readonly server: Server,
    opts: FakeKubeOptions,
  ) {
    this.store = new Store(opts.initialResourceVersion ?? 1, opts.maxHistory);
    this.api = new ResourceApi(this.store, opts.now ?? (() => new Date()));
    this.kindList = [...(opts.kinds ?? defaultKinds)];
    this.token = opts.token ?? "fake-kube-token";
    this.hub = new WatchHub(
      this.store,
      this.api,
      (rec, code) => this.log.answered(rec, code),
      (res, rec, status) => this.sendStatus(res, rec, status),
      opts.watchTimeoutMs,
    );
  }

  /** Listens on 127.0.0.1 on an ephemeral port. */
  static async start(opts: FakeKubeOptions = {}): Promise<FakeKubeApiServer> {
    const server = createServer();
    const fake = new FakeKubeApiServer(server, opts);
    server.on("request", (req, res) => {
      fake.handle(req, res).catch((e: unknown) => {
        if (!res.headersSent) res.writeHead(500).end(String(e));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    fake.url_ = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return fake;
  }

  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  get url(): string {
    return this.url_;
  }

  get kinds(): readonly ResourceKind[] {
    return this.kindList;
  }

  /** Serves one more resource kind (replacing one with the same group/version/plural). */
  register(kind: ResourceKind): void {
    const i = this.kindList.findIndex((k) => resourceId(k) === resourceId(kind));
    if (i >= 0) this.kindList.splice(i, 1);
    this.kindList.push(kind);
  }

  /** A kubeconfig (YAML) whose current context points at this server. */
  kubeconfig(opts: { namespace?: string; contextName?: string; user?: string } = {}): string {
    const { user, ...rest } = opts;
    return kubeconfigYaml({ server: this.url, token: this.tokenOf(user), ...rest });
  }

  /**
   * The bearer token of `user`: the server's token, suffixed `:<user>` for a named user, which the
   * request log records (as a real API server authenticates each token as someone).
   */
  private tokenOf(user: string | undefined): string {
    return user === undefined ? this.token : `${this.token}:${user}`;
  }

  /** Who sent a request with this Authorization header; null when it does not authenticate. */
  private userOf(authorization: string | undefined): string | undefined | null {
    if (authorization === `Bearer ${this.token}`) return undefined;
    const prefix = `Bearer ${this.token}:`;
    return authorization?.startsWith(prefix) ? authorization.slice(prefix.length) : null;
  }

  /** Writes `kubeconfig()` to `path` (default: a new temporary file) and returns the path. */
  writeKubeconfig(
    path?: string,
    opts: { namespace?: string; contextName?: string } = {},
  ): Promise<string> {
    return writeKubeconfigFile({ server: this.url, token: this.token, ...opts }, path);
  }

  // ---- direct access, bypassing HTTP (not logged, no faults) ----

  /** Resolves "plural", "plural.group" or "Kind" to a served kind; throws naming the reference. */
  kind(ref: string): ResourceKind {
    const dot = ref.indexOf(".");
    const found =
      dot > 0
        ? this.kindList.find(
            (k) => k.plural === ref.slice(0, dot) && k.group === ref.slice(dot + 1),
          )
        : (this.kindList.find((k) => k.plural === ref && k.group === "") ??
          this.kindList.find((k) => k.plural === ref || k.kind === ref));
    if (found === undefined) throw new Error(`fake-kube: no resource "${ref}" is registered`);
    return found;
  }

  /** Creates an object (status included) as if a client had; returns it as stored. */
  seed(obj: KubeObject): KubeObject {
    const kind = this.kindList.find(
      (k) => apiVersionOf(k) === obj.apiVersion && k.kind === obj.kind,
    );
    if (kind === undefined)
      throw new Error(`fake-kube: no resource for ${obj.apiVersion} ${obj.kind}`);
    return this.api.seed(kind, obj);
  }

  /** The stored object, or undefined. */
  object(resource: string, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.store.get(resourceId(this.kind(resource)), objectKey(namespace, name));
  }

  /** Every stored object of the resource, optionally in one namespace. */
  objects(resource: string, namespace?: string): KubeObject[] {
    return this.store
      .list(resourceId(this.kind(resource)))
      .filter((o) => namespace === undefined || o.metadata?.namespace === namespace);
  }

  get resourceVersion(): string {
    return String(this.store.currentRevision);
  }

  // ---- test hooks ----

  /** Fails the next `times` requests matching `match` with `fault`; returns the live rule. */
  failNext(match: FaultMatch, fault: Fault, times = 1): FaultRule {
    const rule: FaultRule = { match, fault, remaining: times, hits: 0 };
    this.faults.push(rule);
    return rule;
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  /** Compacts history up to `resourceVersion` (default: now): older watches and exact lists get 410. */
  compact(resourceVersion?: number): void {
    this.store.compact(resourceVersion);
  }

  private selectWatches(resource?: string): WatchStream[] {
    return this.hub.select(resource === undefined ? undefined : this.kind(resource));
  }

  /** Ends open watches cleanly (as at their timeout); clients reconnect from their last RV. */
  closeWatches(resource?: string): number {
    const ws = this.selectWatches(resource);
    for (const w of ws) w.close();
    return ws.length;
  }

  /** Drops open watch connections without the terminating chunk. */
  resetWatches(resource?: string): number {
    const ws = this.selectWatches(resource);
    for (const w of ws) w.reset();
    return ws.length;
  }

  /**
   * Stops delivering watch events (they are buffered) and holds new watch requests unanswered,
   * like a partitioned or overloaded server; `resumeWatches` delivers and answers them in order.
   */
  suspendWatches(): void {
    this.hub.suspend();
  }

  resumeWatches(): void {
    this.hub.resume();
  }

  /** Watches opened from now on close after `ms` (undefined: only when asked by the client). */
  setWatchTimeout(ms: number | undefined): void {
    this.hub.timeoutMs = ms;
  }

  /** Sends a BOOKMARK at the current resourceVersion on every watch that allowed bookmarks. */
  sendBookmarks(): void {
    this.hub.bookmarks();
  }

  /** How many watches are open (for one resource, or all). */
  openWatches(resource?: string): number {
    return this.selectWatches(resource).length;
  }

  /** Requests seen so far, optionally filtered. */
  requests(pred?: RequestPredicate): RequestRecord[] {
    return this.log.all(pred);
  }

  /** The sequence number of the last request, to wait for requests after a point. */
  get lastRequestSeq(): number {
    return this.log.lastSeq;
  }

  clearRequests(): void {
    this.log.clear();
  }

  /** Resolves with the first answered request after `sinceSeq` matching `pred` (default 5 s bound). */
  waitForRequest(
    pred: RequestPredicate,
    opts: { sinceSeq?: number; timeoutMs?: number } = {},
  ): Promise<RequestRecord> {
    return this.log.waitFor(pred, opts);
  }

  /** Closes every watch and connection and stops listening. */
  async stop(): Promise<void> {
    this.hub.closeAll();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  // ---- HTTP ----

  private send(res: ServerResponse, rec: RequestRecord, code: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(code, {
      "Content-Type": "application/json",
      "Content-Length": Buffer.byteLength(text),
    });
    res.end(text);
    this.log.answered(rec, code);
  }

  private sendStatus(res: ServerResponse, rec: RequestRecord, status: Status): void {
    if (status.code === 429 && status.details?.retryAfterSeconds !== undefined) {
      res.setHeader("Retry-After", String(status.details.retryAfterSeconds));
    }
    this.send(res, rec, status.code, status);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://fake-kube");
    const method = req.method ?? "GET";
    const text = await readBody(req);
    const contentType = firstHeader(req.headers["content-type"])
      ?.split(";")[0]
      ?.trim()
      .toLowerCase();
    const info = resolveRequest(method, url.pathname, url.searchParams, this.kindList);
    const rec = this.log.start({
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      verb: info?.verb ?? "unknown",
      ...(info?.kind === undefined ? {} : { resource: info.kind.plural }),
      ...(info?.namespace === undefined ? {} : { namespace: info.namespace }),
      ...(info?.name === undefined ? {} : { name: info.name }),
      ...(info?.subresource === undefined ? {} : { subresource: info.subresource }),
      ...(contentType === undefined ? {} : { contentType }),
      ...(text === "" ? {} : { body: parseJson(text) }),
    });
    try {
      const user = this.userOf(firstHeader(req.headers.authorization));
      if (user === null) throw failure(401, "Unauthorized", "Unauthorized");
      if (user !== undefined) rec.user = user;
      const rule = this.faults.find(
        (r) => r.remaining > 0 && matches(r.match, info ?? { verb: "discovery" }, url.pathname),
      );
      if (rule !== undefined) {
        rule.remaining -= 1;
        rule.hits += 1;
        rec.injected =
          typeof rule.fault === "string" ? rule.fault : `status ${rule.fault.status.code}`;
        this.inject(req, res, rec, info, rule.fault);
        return;
      }
      if (info === undefined) {
        throw failure(404, "NotFound", "the server could not find the requested resource");
      }
      this.dispatch(res, rec, info, url.searchParams, contentType, text);
    } catch (e) {
      if (e instanceof StatusError) this.sendStatus(res, rec, e.status);
      else
        this.sendStatus(res, rec, internalError(e instanceof Error ? e.message : String(e)).status);
    }
  }

  private inject(
    req: IncomingMessage,
    res: ServerResponse,
    rec: RequestRecord,
    info: RequestInfo | undefined,
    fault: Fault,
  ): void {
    if (fault === "reset") {
      this.log.answered(rec, 0);
      req.socket.destroy();
      return;
    }
    const status = faultStatus(fault, info ?? { verb: "discovery" }, this.store.currentRevision);
    if (fault === "gone" && info?.verb === "watch" && info.kind !== undefined) {
      // A real watch reports an expired resourceVersion inside a 200 stream, then ends it.
      const w = this.hub.open(res, rec, info, new URLSearchParams(), this.store.currentRevision);
      this.hub.fail(w, rec, status);
      return;
    }
    this.sendStatus(res, rec, status);
  }

  private listQuery(info: RequestInfo, q: URLSearchParams): ListQuery {
    return {
      namespace: info.namespace,
      labelSelector: q.get("labelSelector"),
      fieldSelector: q.get("fieldSelector"),
      resourceVersion: q.get("resourceVersion"),
      resourceVersionMatch: q.get("resourceVersionMatch"),
      limit: q.get("limit"),
      continueToken: q.get("continue"),
    };
  }

  private dispatch(
    res: ServerResponse,
    rec: RequestRecord,
    info: RequestInfo,
    q: URLSearchParams,
    contentType: string | undefined,
    text: string,
  ): void {
    if (info.verb === "discovery" || info.kind === undefined) {
      const doc =
        info.discovery === undefined ? undefined : discoveryDocument(this.kindList, info.discovery);
      if (doc === undefined)
        throw failure(404, "NotFound", "the server could not find the requested resource");
      this.send(res, rec, 200, doc);
      return;
    }
    const kind = info.kind;
    const ns = info.namespace;
    const name = info.name ?? "";
    const dryRun = q.getAll("dryRun").includes("All");
    const body = (): KubeObject => {
      if (text === "") throw badRequest("the body of the request was empty");
      const parsed = parseJson(text);
      if (typeof parsed === "string")
        throw badRequest(
          `the body of the request could not be decoded as JSON: ${text.slice(0, 80)}`,
        );
      return parsed as KubeObject;
    };
    if (
      kind.namespaced &&
      ns === undefined &&
      !["list", "watch", "deletecollection"].includes(info.verb)
    ) {
      throw failure(404, "NotFound", "the server could not find the requested resource");
    }
    switch (info.verb) {
      case "get":
        if (
          info.subresource !== undefined &&
          (info.subresource !== "status" || !kind.statusSubresource)
        ) {
          throw failure(404, "NotFound", "the server could not find the requested resource");
        }
        this.send(res, rec, 200, this.api.get(kind, ns, name));
        return;
      case "list":
        this.send(res, rec, 200, this.api.list(kind, this.listQuery(info, q)));
        return;
      case "watch":
        this.hub.start(res, rec, info, q);
        return;
      case "create": {
        if (info.subresource !== undefined)
          throw failure(
            405,
            "MethodNotAllowed",
            "the server does not allow this method on the requested resource",
          );
        const r = this.api.create(kind, ns, body(), dryRun);
        this.send(res, rec, r.code, r.body);
        return;
      }
      case "update": {
        const r = this.api.update(kind, ns, name, body(), info.subresource, dryRun);
        this.send(res, rec, r.code, r.body);
        return;
      }
      case "patch": {
        const r = this.api.patch(
          kind,
          ns,
          name,
          contentType ?? "",
          parseJson(text),
          info.subresource,
          dryRun,
        );
        this.send(res, rec, r.code, r.body);
        return;
      }
      case "delete": {
        const opts = text === "" ? undefined : (parseJson(text) as Record<string, unknown>);
        const r = this.api.delete(kind, ns, name, opts, dryRun);
        this.send(res, rec, r.code, r.body);
        return;
      }
      case "deletecollection": {
        const r = this.api.deleteCollection(kind, this.listQuery(info, q), dryRun);
        this.send(res, rec, r.code, r.body);
        return;
      }
    }
  }
}
