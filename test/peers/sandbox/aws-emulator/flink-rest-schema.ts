/**
 * zod shapes of the Flink REST payloads the RestFlinkBackend reads (Flink 1.20
 * rest_v1_dispatcher.yml). Only the members used are declared; others pass through.
 */
import { z } from 'zod';

/** GET /jobs/:jid */
export const JobDetail = z.object({
  state: z.string(),
  'start-time': z.number().optional(),
  'end-time': z.number().optional(),
  'status-counts': z.record(z.string(), z.number()).optional(),
  vertices: z.array(z.object({ name: z.string().optional() })).optional(),
});

/** GET /jobs/:jid/checkpoints */
export const Checkpoints = z.object({
  counts: z.object({ completed: z.number().optional(), failed: z.number().optional() }).optional(),
  latest: z
    .object({
      completed: z
        .object({
          end_to_end_duration: z.number().optional(),
          state_size: z.number().optional(),
          checkpointed_size: z.number().optional(),
        })
        .nullish(),
    })
    .optional(),
});

/** GET /jobs/:jid/savepoints/:triggerId (operation is null while IN_PROGRESS). */
export const SavepointStatus = z.object({
  status: z.object({ id: z.string() }),
  operation: z
    .object({
      location: z.string().optional(),
      'failure-cause': z
        .object({ class: z.string().optional(), 'stack-trace': z.string().optional() })
        .optional(),
    })
    .nullish(),
});

/** POST /jobs/:jid/stop and /jobs/:jid/savepoints */
export const TriggerResponse = z.object({ 'request-id': z.string() });

/** GET /jobs/:jid/metrics?get=… */
export const Metrics = z.array(z.object({ id: z.string(), value: z.string() }));

/** Parses or explains which Flink answer was not what the emulator expected. */
export function parseFlink<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const r = schema.safeParse(body);
  if (!r.success)
    throw new Error(
      `unexpected Flink REST answer to ${what}: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return r.data;
}
