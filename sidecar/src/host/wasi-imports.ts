import type { WasmVm } from "./wasm-vm.js";

/** WASI errno values used here. */
const Errno = { Success: 0, Badf: 8, Inval: 28, Nosys: 52 } as const;

type Fn = (...args: number[]) => number;

/**
 * The WASI subset proxy-wasm-cpp-host provides (src/exports.cc wasi_unstable_*): fd_write to
 * stdout/stderr becomes a log line (info / error), clocks read the manual clock, random_get the
 * seeded generator, environ comes from the VM's env, args are empty, proc_exit fails the VM.
 */
export function wasiImports(vm: WasmVm): Record<string, Fn> {
  const enc = new TextEncoder();
  const dec = new TextDecoder();
  const pending: Record<number, string> = { 1: "", 2: "" };
  const allowed = (name: string) => vm.checkAllowed(name);
  const environ = () => vm.env.environ.map(([k, v]) => enc.encode(`${k}=${v}\0`));

  return {
    fd_write(fd, iovs, iovsLen, nwrittenPtr) {
      allowed("fd_write");
      if (fd !== 1 && fd !== 2) return Errno.Badf;
      let written = 0;
      let text = "";
      for (let i = 0; i < iovsLen; i++) {
        const p = vm.mem.readU32(iovs + i * 8);
        const n = vm.mem.readU32(iovs + i * 8 + 4);
        text += dec.decode(vm.mem.readBytes(p, n));
        written += n;
      }
      // Envoy logs each complete line written to stdout at info, to stderr at error.
      const buf = (pending[fd] ?? "") + text;
      const lines = buf.split("\n");
      pending[fd] = lines.pop() ?? "";
      for (const line of lines) vm.log(fd === 1 ? 2 : 4, line);
      vm.mem.writeU32(nwrittenPtr, written);
      return Errno.Success;
    },
    fd_read(_fd, _iovs, _len, nreadPtr) {
      allowed("fd_read");
      vm.mem.writeU32(nreadPtr, 0);
      return Errno.Badf;
    },
    fd_seek() {
      allowed("fd_seek");
      return Errno.Badf;
    },
    fd_close() {
      allowed("fd_close");
      return Errno.Badf;
    },
    fd_fdstat_get() {
      allowed("fd_fdstat_get");
      return Errno.Badf;
    },
    fd_fdstat_set_flags() {
      allowed("fd_fdstat_set_flags");
      return Errno.Nosys;
    },
    fd_prestat_get() {
      allowed("fd_prestat_get");
      return Errno.Badf;
    },
    fd_prestat_dir_name() {
      allowed("fd_prestat_dir_name");
      return Errno.Nosys;
    },
    environ_sizes_get(countPtr, sizePtr) {
      allowed("environ_sizes_get");
      const e = environ();
      vm.mem.writeU32(countPtr, e.length);
      vm.mem.writeU32(
        sizePtr,
        e.reduce((n, b) => n + b.length, 0),
      );
      return Errno.Success;
    },
    environ_get(environPtr, bufPtr) {
      allowed("environ_get");
      let p = bufPtr;
      environ().forEach((b, i) => {
        vm.mem.writeU32(environPtr + i * 4, p);
        vm.mem.writeBytes(p, b);
        p += b.length;
      });
      return Errno.Success;
    },
    args_sizes_get(countPtr, sizePtr) {
      allowed("args_sizes_get");
      vm.mem.writeU32(countPtr, 0);
      vm.mem.writeU32(sizePtr, 0);
      return Errno.Success;
    },
    args_get() {
      allowed("args_get");
      return Errno.Success;
    },
    clock_time_get(clockId, _precision, timePtr) {
      allowed("clock_time_get");
      // cpp-host: realtime (0) and monotonic (1) only.
      if (clockId === 0) vm.mem.writeU64(timePtr, vm.env.clock.nowNs());
      else if (clockId === 1) vm.mem.writeU64(timePtr, vm.env.clock.monotonicNs());
      else return Errno.Inval;
      return Errno.Success;
    },
    clock_res_get(clockId, resPtr) {
      allowed("clock_res_get");
      if (clockId > 1) return Errno.Inval;
      vm.mem.writeU64(resPtr, 1n);
      return Errno.Success;
    },
    random_get(ptr, len) {
      allowed("random_get");
      const out = new Uint8Array(len);
      vm.env.random.fill(out);
      vm.mem.writeBytes(ptr, out);
      return Errno.Success;
    },
    sched_yield() {
      allowed("sched_yield");
      return Errno.Success;
    },
    poll_oneoff() {
      allowed("poll_oneoff");
      return Errno.Nosys;
    },
    proc_exit(code) {
      allowed("proc_exit");
      throw new Error(`wasi proc_exit(${code})`);
    },
  };
}
