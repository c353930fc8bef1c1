import { z } from 'zod';

/**
 * What streamctl needs from kinesisanalyticsv2 responses. Required here = required to act safely:
 * names, ARNs, statuses and version ids. Everything descriptive is optional. Statuses are free
 * strings (an unknown future status is kept, never crashed on). Objects are loose: extra fields
 * are fine. Timestamps are Dates because the SDK deserialises them.
 */
const Status = z.string().min(1);
const Time = z.date();
const VersionId = z.number().int().nonnegative();

export const ApplicationSummarySchema = z.looseObject({
  ApplicationName: z.string().min(1),
  ApplicationARN: z.string().min(1),
  ApplicationStatus: Status,
  ApplicationVersionId: VersionId,
  RuntimeEnvironment: z.string().optional(),
  ApplicationMode: z.string().optional(),
});

export const ListApplicationsSchema = z.looseObject({
  ApplicationSummaries: z.array(ApplicationSummarySchema).default([]),
  NextToken: z.string().optional(),
});

const PropertyGroupSchema = z.looseObject({
  PropertyGroupId: z.string(),
  PropertyMap: z.record(z.string(), z.string()).default({}),
});

export const ApplicationDetailSchema = z.looseObject({
  ApplicationARN: z.string().min(1),
  ApplicationName: z.string().min(1),
  RuntimeEnvironment: z.string().optional(),
  ApplicationStatus: Status,
  ApplicationVersionId: VersionId,
  CreateTimestamp: Time.optional(),
  LastUpdateTimestamp: Time.optional(),
  ApplicationVersionUpdatedFrom: VersionId.optional(),
  ApplicationVersionRolledBackFrom: VersionId.optional(),
  ApplicationVersionRolledBackTo: VersionId.optional(),
  ConditionalToken: z.string().optional(),
  ApplicationMode: z.string().optional(),
  CloudWatchLoggingOptionDescriptions: z
    .array(
      z.looseObject({ LogStreamARN: z.string().min(1), CloudWatchLoggingOptionId: z.string().optional() }),
    )
    .optional(),
  ApplicationConfigurationDescription: z
    .looseObject({
      FlinkApplicationConfigurationDescription: z
        .looseObject({
          CheckpointConfigurationDescription: z
            .looseObject({
              ConfigurationType: z.string().optional(),
              CheckpointingEnabled: z.boolean().optional(),
              CheckpointInterval: z.number().optional(),
              MinPauseBetweenCheckpoints: z.number().optional(),
            })
            .optional(),
          MonitoringConfigurationDescription: z
            .looseObject({
              ConfigurationType: z.string().optional(),
              MetricsLevel: z.string().optional(),
              LogLevel: z.string().optional(),
            })
            .optional(),
          ParallelismConfigurationDescription: z
            .looseObject({
              ConfigurationType: z.string().optional(),
              Parallelism: z.number().int().optional(),
              ParallelismPerKPU: z.number().int().optional(),
              CurrentParallelism: z.number().int().optional(),
              AutoScalingEnabled: z.boolean().optional(),
            })
            .optional(),
        })
        .optional(),
      EnvironmentPropertyDescriptions: z
        .looseObject({ PropertyGroupDescriptions: z.array(PropertyGroupSchema).optional() })
        .optional(),
      ApplicationSnapshotConfigurationDescription: z
        .looseObject({ SnapshotsEnabled: z.boolean() })
        .optional(),
      ApplicationSystemRollbackConfigurationDescription: z
        .looseObject({ RollbackEnabled: z.boolean() })
        .optional(),
    })
    .optional(),
});
export type RawApplicationDetail = z.infer<typeof ApplicationDetailSchema>;

export const DescribeApplicationSchema = z.looseObject({ ApplicationDetail: ApplicationDetailSchema });

export const ListTagsSchema = z.looseObject({
  Tags: z.array(z.looseObject({ Key: z.string(), Value: z.string().optional() })).default([]),
});

export const OperationInfoSchema = z.looseObject({
  OperationId: z.string().min(1),
  Operation: z.string().min(1),
  OperationStatus: Status,
  StartTime: Time.optional(),
  EndTime: Time.optional(),
});
export type RawOperationInfo = z.infer<typeof OperationInfoSchema>;

export const ListOperationsSchema = z.looseObject({
  ApplicationOperationInfoList: z.array(OperationInfoSchema).default([]),
  NextToken: z.string().optional(),
});

export const OperationDetailsSchema = z.looseObject({
  Operation: z.string().min(1),
  OperationStatus: Status,
  StartTime: Time.optional(),
  EndTime: Time.optional(),
  ApplicationVersionChangeDetails: z
    .looseObject({
      ApplicationVersionUpdatedFrom: VersionId.optional(),
      ApplicationVersionUpdatedTo: VersionId.optional(),
    })
    .optional(),
  OperationFailureDetails: z
    .looseObject({
      RollbackOperationId: z.string().optional(),
      ErrorInfo: z.looseObject({ ErrorString: z.string().optional() }).optional(),
    })
    .optional(),
});
export type RawOperationDetails = z.infer<typeof OperationDetailsSchema>;

export const DescribeOperationSchema = z.looseObject({
  ApplicationOperationInfoDetails: OperationDetailsSchema,
});

export const SnapshotSchema = z.looseObject({
  SnapshotName: z.string().min(1),
  SnapshotStatus: Status,
  ApplicationVersionId: VersionId.optional(),
  SnapshotCreationTimestamp: Time.optional(),
  RuntimeEnvironment: z.string().optional(),
});
export type RawSnapshot = z.infer<typeof SnapshotSchema>;

export const ListSnapshotsSchema = z.looseObject({
  SnapshotSummaries: z.array(SnapshotSchema).default([]),
  NextToken: z.string().optional(),
});

export const ListVersionsSchema = z.looseObject({
  ApplicationVersionSummaries: z
    .array(z.looseObject({ ApplicationVersionId: VersionId, ApplicationStatus: Status }))
    .default([]),
  NextToken: z.string().optional(),
});

/** The presigned URL must be https (or http for the local emulator) and carry its token. */
export const PresignedUrlSchema = z.looseObject({
  AuthorizedUrl: z.url({ protocol: /^https?$/ }),
});

export const OperationIdSchema = z.looseObject({ OperationId: z.string().optional() });

export const OperationWithDetailSchema = z.looseObject({
  OperationId: z.string().optional(),
  ApplicationDetail: z.looseObject({ ApplicationVersionId: VersionId }).optional(),
});
