import 'server-only';

// The OpenAPI 3.1 description of /api, served at /api/openapi.json. docs/API.md is the prose;
// a test checks that every route handler under app/api is described here and vice versa.

const error = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', examples: ['not_found'] },
        message: { type: 'string' },
        feature: { type: 'string', description: 'With 402: the feature needed.' },
        plan: { type: 'string', description: 'With 402: the plan that has it.' },
      },
    },
  },
};
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: object, description: string) => ({ description, content: { 'application/json': { schema } } });
const errors = (...codes: number[]) =>
  Object.fromEntries(codes.map((code) => [String(code), json(ref('Error'), ERROR_TEXT[code] ?? 'Error')]));
const ERROR_TEXT: Record<number, string> = {
  400: 'Bad request body or query',
  401: 'No valid session or API token',
  402: 'The backup_verification license feature (Pro+) is needed',
  403: 'Cross-site request refused',
  404: 'Unknown backup or job',
  409: 'Conflict (already verifying, job not cancellable)',
  429: 'Too many failed sign-ins (Retry-After)',
};
const idParam = (what: string) => ({
  name: 'id',
  in: 'path',
  required: true,
  schema: { type: 'string' },
  description: what,
});
const backupId = idParam('Backup id (32 hex digits, or a unique start of at least 6)');
const jobId = idParam('Job id (UUID)');
const obj = { type: 'object', additionalProperties: true };

const check = {
  type: 'object',
  properties: {
    name: { enum: ['size', 'integrity', 'dry-run', 'staleness'] },
    result: { enum: ['pass', 'warn', 'fail'] },
    message: { type: 'string' },
    durationMs: { type: 'integer' },
  },
};

export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'Cloud OS Backups API',
    version: '1',
    description: 'JSON over HTTP. Authenticate with the session cookie or `Authorization: Bearer cob_…`. See docs/API.md.',
  },
  servers: [{ url: '/' }],
  security: [{ bearer: [] }, { session: [] }],
  components: {
    securitySchemes: {
      bearer: { type: 'http', scheme: 'bearer', description: 'An API token (Settings → API tokens).' },
      session: { type: 'apiKey', in: 'cookie', name: 'cloudos_session' },
    },
    schemas: {
      Error: error,
      Verification: {
        type: 'object',
        properties: {
          id: { type: ['string', 'null'] },
          backupId: { type: 'string' },
          jobId: { type: ['string', 'null'] },
          state: { enum: ['none', 'queued', 'running', 'passed', 'warned', 'failed', 'cancelled'] },
          requestedChecks: { type: 'array', items: { type: 'string' } },
          dryRun: { type: 'boolean' },
          checks: { type: 'array', items: check },
          message: { type: ['string', 'null'] },
          progress: { type: ['object', 'null'] },
          createdBy: { type: ['string', 'null'] },
          createdAt: { type: ['string', 'null'], format: 'date-time' },
          startedAt: { type: ['string', 'null'], format: 'date-time' },
          finishedAt: { type: ['string', 'null'], format: 'date-time' },
        },
      },
    },
  },
  paths: {
    '/api/healthz': {
      get: {
        summary: 'Process health (public)',
        security: [],
        responses: { '200': json(obj, 'Up'), '503': json(obj, 'Database not usable') },
      },
    },
    '/api/auth/login': {
      post: {
        summary: 'Sign in: sets the session cookie',
        security: [],
        requestBody: {
          content: { 'application/json': { schema: { type: 'object', properties: { username: {}, password: {} } } } },
        },
        responses: { '200': json(obj, 'Signed in'), ...errors(400, 401, 429) },
      },
    },
    '/api/auth/logout': { post: { summary: 'End the session', responses: { '200': json(obj, 'Signed out') } } },
    '/api/jobs': {
      get: {
        summary: 'Recent jobs',
        parameters: [{ name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 500 } }],
        responses: { '200': json(obj, '{jobs}'), ...errors(400, 401) },
      },
      post: {
        summary: 'Queue a job {type: selftest|backup|restore|verify, payload}',
        responses: { '202': json(obj, '{job}'), ...errors(400, 401, 403) },
      },
    },
    '/api/jobs/{id}': {
      get: { summary: 'One job', parameters: [jobId], responses: { '200': json(obj, '{job}'), ...errors(401, 404) } },
    },
    '/api/jobs/{id}/cancel': {
      post: { summary: 'Cancel a job', parameters: [jobId], responses: { '200': json(obj, '{job}'), ...errors(401, 404, 409) } },
    },
    '/api/jobs/{id}/events': {
      get: {
        summary: 'Server-sent events: progress, log, done',
        parameters: [jobId],
        responses: { '200': { description: 'text/event-stream' }, ...errors(401, 404) },
      },
    },
    '/api/backups': {
      get: {
        summary: 'The backup catalog, newest first',
        parameters: [
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000 } },
          { name: 'status', in: 'query', schema: { enum: ['running', 'succeeded', 'failed', 'cancelled', 'deleting'] } },
          { name: 'target', in: 'query', schema: { type: 'string' } },
        ],
        responses: { '200': json(obj, '{backups}'), ...errors(400, 401) },
      },
    },
    '/api/backups/{id}': {
      get: { summary: 'One backup', parameters: [backupId], responses: { '200': json(obj, '{backup}'), ...errors(401, 404) } },
    },
    '/api/backups/{id}/verify': {
      post: {
        summary: 'Start a verification (Pro+)',
        parameters: [backupId],
        requestBody: {
          required: false,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                additionalProperties: false,
                properties: { dryRun: { type: 'boolean' }, checks: { type: 'array', items: check.properties.name } },
              },
            },
          },
        },
        responses: {
          '202': json(
            { type: 'object', properties: { backupId: {}, jobId: {}, verificationId: {} } },
            'Started; poll the Location',
          ),
          ...errors(400, 401, 402, 403, 404, 409),
        },
      },
    },
    '/api/backups/{id}/verify/status': {
      get: {
        summary: 'The latest verification of a backup (Pro+)',
        parameters: [backupId],
        responses: { '200': json(ref('Verification'), 'state "none" when never verified'), ...errors(401, 402, 404) },
      },
    },
    '/api/backups/health': {
      get: {
        summary: 'Backup health: last successes, staleness, failures, unverified, next runs, score 0-100',
        responses: { '200': json(obj, 'See docs/VERIFICATION.md'), ...errors(401) },
      },
    },
    '/api/openapi.json': {
      get: { summary: 'This document (public)', security: [], responses: { '200': json(obj, 'OpenAPI 3.1') } },
    },
  },
};
