import { z } from 'zod';

/** What streamctl needs from CloudWatch Logs Insights responses. */

export const StartQuerySchema = z.looseObject({ queryId: z.string().min(1) });

export const ResultFieldSchema = z.looseObject({
  field: z.string().optional(),
  value: z.string().optional(),
});

export const GetQueryResultsSchema = z.looseObject({
  /** Scheduled | Running | Complete | Failed | Cancelled | Timeout | Unknown (unknown values kept). */
  status: z.string().min(1),
  results: z.array(z.array(ResultFieldSchema)).default([]),
  statistics: z
    .looseObject({
      recordsMatched: z.number().optional(),
      recordsScanned: z.number().optional(),
      bytesScanned: z.number().optional(),
    })
    .optional(),
  nextToken: z.string().optional(),
});
export type RawQueryResults = z.infer<typeof GetQueryResultsSchema>;
