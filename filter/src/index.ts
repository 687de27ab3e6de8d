import "./abi/abort";

// Cohort's proxy-wasm filter: header-based segmentation, sticky weighted splitting and mirroring.
// Layers: abi/ (host calls), plugin/ (root and HTTP contexts, metrics), config/ (JSON → validated
// config), logic/ (pure decisions: segment, split, mirror, override).
export {
  malloc,
  proxy_abi_version_0_2_1,
  proxy_on_configure,
  proxy_on_context_create,
  proxy_on_delete,
  proxy_on_done,
  proxy_on_log,
  proxy_on_memory_allocate,
  proxy_on_request_headers,
  proxy_on_response_headers,
  proxy_on_vm_start,
} from "./plugin/hooks";
