import { fetchFailure, throwIfCancelled, withTimeout } from "./describe-cause.js";

/** One sample of an instant vector: its labels and value. */
export interface VectorSample {
  metric: Record<string, string>;
  value: number;
}

/** Why an instant query failed, in Prometheus's words when it answered. */
export class QueryFailure extends Error {
  override readonly name = "QueryFailure";
}

interface ApiBody {
  status?: string;
  errorType?: string;
  error?: string;
  data?: { resultType?: string; result?: unknown };
}

function parseValue(v: unknown): number {
  if (!Array.isArray(v) || typeof v[1] !== "string")
    throw new QueryFailure(`unexpected sample ${JSON.stringify(v)}`);
  // Prometheus writes NaN and ±Inf as "NaN", "+Inf", "-Inf", which Number reads except +Inf.
  return v[1] === "+Inf" ? Infinity : Number(v[1]);
}

/** The result of a query as samples: a vector's, or a scalar's as one sample without labels. */
function samplesOf(data: ApiBody["data"]): VectorSample[] {
  if (data?.resultType === "scalar") return [{ metric: {}, value: parseValue(data.result) }];
  if (data?.resultType !== "vector" || !Array.isArray(data.result))
    throw new QueryFailure(
      `expected an instant vector or a scalar, got ${data?.resultType ?? "nothing"}`,
    );
  return data.result.map((r: { metric?: Record<string, string>; value?: unknown }) => ({
    metric: r.metric ?? {},
    value: parseValue(r.value),
  }));
}

export interface InstantQuery {
  baseUrl: string;
  query: string;
  at?: Date;
  signal?: AbortSignal;
  timeoutMs: number;
}

/**
 * One instant query on Prometheus's HTTP API (`POST /api/v1/query`, form-encoded, `time` in
 * seconds). Rejects with QueryFailure carrying Prometheus's `errorType: error` text, the HTTP
 * status when the body is not the API's, or the transport's failure.
 */
export async function instantQuery(q: InstantQuery): Promise<VectorSample[]> {
  const form = new URLSearchParams({ query: q.query });
  if (q.at !== undefined) form.set("time", (q.at.getTime() / 1000).toFixed(3));
  const url = `${q.baseUrl.replace(/\/+$/, "")}/api/v1/query`;
  let res: Response;
  let text: string;
  try {
    res = await fetch(url, {
      method: "POST",
      body: form,
      signal: withTimeout(q.signal, q.timeoutMs),
    });
    text = await res.text();
  } catch (e) {
    throwIfCancelled(q.signal);
    throw new QueryFailure(`POST ${url}: ${fetchFailure(e, q.timeoutMs)}`, { cause: e });
  }
  let body: ApiBody;
  try {
    body = JSON.parse(text) as ApiBody;
  } catch (e) {
    throw new QueryFailure(`POST ${url}: HTTP ${res.status}: ${text.slice(0, 200)}`, { cause: e });
  }
  if (body.status !== "success")
    throw new QueryFailure(
      `${body.errorType ?? `HTTP ${res.status}`}: ${body.error ?? text.slice(0, 200)}`,
    );
  return samplesOf(body.data);
}
