#!/usr/bin/env bash
# End-to-end run of Cohort on a real cluster: kind + Istio + Prometheus, the filter on a caller's
# sidecar, three versions of a small app, a Canary experiment that the controller drives to a
# verdict. Not run in CI (it needs Docker, kind, istioctl and the internet). docs/kubernetes.md
# walks through the same steps by hand.
#
#   deploy/e2e/kind-istio.sh            # create, run, check, delete the cluster
#   KEEP=1 deploy/e2e/kind-istio.sh     # keep the cluster to look around
#
# Needs: docker, kind (>= 0.20), kubectl, istioctl (>= 1.20), node 20 + npm, curl, sha256sum.
set -euo pipefail
cd "$(dirname "$0")/../.."

CLUSTER=${CLUSTER:-cohort-e2e}
ISTIO_ADDONS=${ISTIO_ADDONS:-https://raw.githubusercontent.com/istio/istio/release-1.24/samples/addons}
IMAGE=cohort-controller:e2e
APP_NS=shop
TIMEOUT=${TIMEOUT:-600}

say() { printf '\n== %s\n' "$*"; }
fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }

for tool in docker kind kubectl istioctl npm curl sha256sum; do
  command -v "$tool" >/dev/null || fail "$tool is not installed"
done

cleanup() {
  if [ "${KEEP:-0}" = 1 ]; then
    say "keeping cluster $CLUSTER (kind delete cluster --name $CLUSTER when done)"
  else
    kind delete cluster --name "$CLUSTER" >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT

say "1. build the filter and the controller"
npm ci --no-audit --no-fund
npm run build
docker build -q -f deploy/Dockerfile -t "$IMAGE" .

say "2. create the kind cluster"
kind create cluster --name "$CLUSTER" --wait 120s
kind load docker-image "$IMAGE" --name "$CLUSTER"

say "3. install Istio with the filter's stat tags, and Prometheus"
istioctl install -y --set profile=minimal -f deploy/istio/mesh-config.yaml
kubectl apply -f "$ISTIO_ADDONS/prometheus.yaml"
kubectl -n istio-system rollout status deploy/prometheus --timeout=300s

say "4. install the Cohort controller (deploy/base, with the image built above)"
kubectl kustomize deploy/base \
  | sed "s#image: ghcr.io/cohort-dev/cohort:.*#image: $IMAGE#" \
  | kubectl apply -f -
kubectl -n cohort-system patch deploy cohort-controller --type=json \
  -p='[{"op":"add","path":"/spec/template/spec/containers/0/imagePullPolicy","value":"Never"}]'
kubectl wait --for=condition=Established crd/experiments.cohort.dev --timeout=60s
kubectl -n cohort-system rollout status deploy/cohort-controller --timeout=300s

say "5. deploy the app: checkout v1, v2 (the candidate), v3 (dark), and a caller"
kubectl create namespace "$APP_NS" --dry-run=client -o yaml | kubectl apply -f -
kubectl label namespace "$APP_NS" istio-injection=enabled --overwrite
for v in v1 v2 v3; do
  kubectl apply -n "$APP_NS" -f - <<YAML
apiVersion: apps/v1
kind: Deployment
metadata: { name: checkout-$v }
spec:
  selector: { matchLabels: { app: checkout, version: $v } }
  template:
    metadata: { labels: { app: checkout, version: $v } }
    spec:
      containers:
        - name: app
          image: hashicorp/http-echo:1.0
          args: ["-listen=:8080", "-text=checkout $v"]
          ports: [{ containerPort: 8080 }]
YAML
done
kubectl apply -n "$APP_NS" -f - <<'YAML'
apiVersion: v1
kind: Service
metadata: { name: checkout }
spec:
  selector: { app: checkout }
  ports: [{ name: http, port: 80, targetPort: 8080 }]
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: caller }
spec:
  selector: { matchLabels: { app: caller } }
  template:
    metadata:
      labels: { app: caller, cohort.dev/caller: "true" }
    spec:
      containers:
        - name: curl
          image: curlimages/curl:8.10.1
          command: ["/bin/sh", "-c"]
          args:
            - |
              i=0
              while true; do
                i=$((i + 1))
                curl -s -o /dev/null -H "x-user-id: user-$((i % 500))" http://checkout.shop.svc.cluster.local/
                sleep 0.05
              done
YAML

say "6. serve filter.wasm in the cluster and install the WasmPlugin, routes and subsets"
kubectl -n "$APP_NS" create configmap cohort-filter --from-file=filter.wasm=filter/build/filter.wasm \
  --dry-run=client -o yaml | kubectl apply -f -
kubectl apply -n "$APP_NS" -f - <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata: { name: filter-server }
spec:
  selector: { matchLabels: { app: filter-server } }
  template:
    metadata:
      labels: { app: filter-server }
      annotations: { sidecar.istio.io/inject: "false" }
    spec:
      containers:
        - name: httpd
          image: busybox:1.36
          args: ["httpd", "-f", "-p", "8080", "-h", "/srv"]
          volumeMounts: [{ name: wasm, mountPath: /srv }]
      volumes: [{ name: wasm, configMap: { name: cohort-filter } }]
---
apiVersion: v1
kind: Service
metadata: { name: filter-server }
spec:
  selector: { app: filter-server }
  ports: [{ name: http, port: 80, targetPort: 8080 }]
YAML
kubectl -n "$APP_NS" rollout status deploy/filter-server --timeout=120s
sha=$(sha256sum filter/build/filter.wasm | cut -d' ' -f1)
sed -e "s#url: oci://.*#url: http://filter-server.$APP_NS.svc.cluster.local/filter.wasm#" \
  -e "s#SHA256_OF_FILTER_WASM#$sha#" deploy/istio/wasm-plugin.yaml | kubectl apply -n "$APP_NS" -f -
# the guard strips clients' own routing headers, so a failed (fail-open) filter means "baseline"
kubectl apply -n "$APP_NS" -f deploy/istio/header-guard.yaml
kubectl apply -n "$APP_NS" -f deploy/istio/destination-rule.yaml -f deploy/istio/virtual-service.yaml
kubectl -n "$APP_NS" rollout status deploy/caller --timeout=300s
for v in v1 v2 v3; do kubectl -n "$APP_NS" rollout status "deploy/checkout-$v" --timeout=300s; done

say "7. start a Canary of v2, with a quarter of the users mirrored to v3"
kubectl apply -n "$APP_NS" -f - <<'YAML'
apiVersion: cohort.dev/v1alpha1
kind: Experiment
metadata: { name: checkout }
spec:
  target: shop/checkout
  testingPattern: Canary
  baseline: { name: v1 }
  candidates: [{ name: v2 }]
  criteria:
    objectives:
      - { metric: error-rate, upperLimit: 0.05 }
      - { metric: latency-p99, upperLimit: 500 }
  traffic:
    hosts: [checkout.shop.svc.cluster.local]
    stickyKey: ["header:x-user-id"]
    mirror: { version: v3, percent: 25 }
  weights: { maxCandidateWeight: 100, maxCandidateWeightIncrement: 25 }
  duration: { intervalSeconds: 15, maxIterations: 12 }
  promotion: { kind: none }
YAML

say "8. wait for a verdict (up to ${TIMEOUT}s)"
deadline=$((SECONDS + TIMEOUT))
phase=""
while [ $SECONDS -lt $deadline ]; do
  phase=$(kubectl -n "$APP_NS" get experiment checkout -o jsonpath='{.status.phase}' 2>/dev/null || true)
  kubectl -n "$APP_NS" get experiment checkout --no-headers 2>/dev/null || true
  case "$phase" in Completed | RolledBack | Failed) break ;; esac
  sleep 15
done
kubectl -n "$APP_NS" get experiment checkout -o yaml | sed -n '/^status:/,$p'

say "9. check"
[ "$phase" = Completed ] || fail "experiment ended in phase '${phase:-none}', expected Completed"
winner=$(kubectl -n "$APP_NS" get experiment checkout -o jsonpath='{.status.winner}')
[ "$winner" = v2 ] || fail "winner is '$winner', expected v2"
config=$(kubectl -n "$APP_NS" get wasmplugin cohort -o jsonpath='{.spec.pluginConfig}')
case "$config" in *'"checkout"'*) ;; *) fail "the controller did not write the WasmPlugin's pluginConfig: $config" ;; esac
kubectl -n istio-system port-forward svc/prometheus 19090:9090 >/dev/null 2>&1 &
pf=$!
sleep 3
series=$(curl -s 'http://127.0.0.1:19090/api/v1/query' \
  --data-urlencode 'query=sum by (cohort_version) (cohort_mirrored_requests_total{cohort_experiment="checkout"})')
kill "$pf"
case "$series" in *'"cohort_version":"v3"'*) ;; *) fail "no labelled mirror series in Prometheus: $series" ;; esac
kubectl -n "$APP_NS" get events --field-selector involvedObject.name=checkout
say "OK: $winner won; weights, mirror metrics and events are in place"
