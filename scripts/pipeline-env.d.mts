/** The environment the product's streaming processes start with (see pipeline-env.mjs). */
export function pipelineEnv(): { MALLOC_ARENA_MAX: string; UV_THREADPOOL_SIZE: string };
