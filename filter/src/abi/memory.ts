// Memory the host hands to the module: the host calls our allocator, writes the data, and stores
// its address and size in two slots we pass in. The data then belongs to the module, so every
// reader copies what it needs and frees the block.

/** Two slots for the (pointer, size) pair a host call returns. */
export const RETURN_PTR: usize = memory.data(8);
export const RETURN_SIZE: usize = memory.data(8);

/** Clears the return slots before a host call, so a host that writes nothing reads as empty. */
export function resetReturn(): void {
  store<u32>(RETURN_PTR, 0);
  store<u32>(RETURN_SIZE, 0);
}

/** Address the host wrote into the pointer slot. */
export function returnedPtr(): usize {
  return <usize>load<u32>(RETURN_PTR);
}

/** Size the host wrote into the size slot. */
export function returnedSize(): usize {
  return <usize>load<u32>(RETURN_SIZE);
}

/** Releases a block the host allocated through us (0 is ignored). */
export function freeReturned(ptr: usize): void {
  if (ptr != 0) heap.free(ptr);
}

// Bytes of strings decoded from host data since the last garbage collection: the only
// allocations on the request path that grow with the input, so the collector runs on them too
// (hooks.ts), not only every so many streams.
let decodedBytes: usize = 0;

/** Decodes `size` UTF-8 bytes at `ptr` into a string (garbage the collector must reclaim), tallied. */
export function decodeUtf8(ptr: usize, size: usize): string {
  // An AssemblyScript string: UTF-16, at most 2 bytes per input byte, plus the object header.
  decodedBytes += (size << 1) + 32;
  return String.UTF8.decodeUnsafe(ptr, size);
}

/** Bytes decoded since `resetDecodedBytes`. */
export function decodedSinceCollect(): usize {
  return decodedBytes;
}

/** Restarts the tally (the collector just ran). */
export function resetDecodedBytes(): void {
  decodedBytes = 0;
}

/** Reads a host-returned block as UTF-8 and frees it. */
export function takeReturnedString(): string {
  const ptr = returnedPtr();
  const size = returnedSize();
  if (ptr == 0) return "";
  const s = decodeUtf8(ptr, size);
  heap.free(ptr);
  return s;
}

/** UTF-8 bytes of a string, for passing to the host. */
export function utf8(s: string): ArrayBuffer {
  return String.UTF8.encode(s);
}
