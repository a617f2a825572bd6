// The environment the product's streaming processes start with (the CLI, the worker), set
// before Node starts because glibc and libuv read them once:
// - MALLOC_ARENA_MAX=2: zstd runs on libuv's thread pool, and glibc's one-arena-per-thread
//   default kept tens of MiB of freed buffers resident.
// - UV_THREADPOOL_SIZE = the cores (at least 2): libuv's default of 4 threads ran four zstd
//   jobs on two cores, time-sliced, beside the main and hashing threads; two at a time create
//   ran ~10 % faster here (docs/BENCHMARKS.md). Memory stays bounded by the chunks in flight.
// Values the caller already set win. The shell launcher bin/cloudos-backup sets the same.
import { availableParallelism } from 'node:os';

export function pipelineEnv() {
  return { MALLOC_ARENA_MAX: '2', UV_THREADPOOL_SIZE: String(Math.max(2, availableParallelism())) };
}
