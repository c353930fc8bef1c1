/**
 * The commented example written by `streamctl config init`. Keys and defaults mirror
 * src/config/sections/*; test/config/example.test.ts checks that this example validates.
 */
export const EXAMPLE_CONFIG = `# streamctl.yaml — configuration for streamctl (https://github.com/…/streamctl)
# Every key is optional unless marked; defaults are shown. Validate with: streamctl config validate
version: 1

aws:
  # Default region and profile for every AWS target (else the SDK default chain: env, SSO, instance role).
  region: us-east-1
  # profile: ops
  # Endpoint overrides, e.g. for a local emulator. Leave empty for real AWS.
  endpoints: {}
  maxAttempts: 3

kafka:
  clusters:
    # An Amazon MSK cluster: brokers, sizes and CloudWatch metrics are discovered from the ARN.
    - name: orders
      msk:
        arn: arn:aws:kafka:us-east-1:123456789012:cluster/orders/abcd1234-ab12-cd34-ef56-abcdef123456-1
      auth:
        type: msk-iam            # none | tls | scram | msk-iam
      diskWarnPercent: 60        # MSK alerts at 60% and 80% used
      diskCritPercent: 80
    # A self-managed cluster over SASL/SCRAM. Secrets come from env or files, never inline.
    - name: legacy
      bootstrap: ["kafka-1.internal:9096", "kafka-2.internal:9096"]
      auth:
        type: scram
        mechanism: scram-sha-512
        username: streamctl
        password: { env: LEGACY_KAFKA_PASSWORD }
      brokerCapacityBytes: 2000000000000

flink:
  applications:
    # Amazon Managed Service for Apache Flink.
    - name: enricher
      managed:
        applicationName: orders-enricher
        # region: eu-west-1
      healing:
        enabled: true            # or tag the application streamctl:healing=off
    # Self-managed Flink reached over its REST API.
    - name: sessionizer
      rest:
        url: http://flink-jobmanager.internal:8081
        jobName: sessionizer
        savepointDir: s3://flink-savepoints/sessionizer

healer:
  mode: dry-run                  # dry-run records decisions only; act performs them
  tickInterval: 60s
  journal: .streamctl/journal.db

notifications: {}
  # slack: { webhook: { env: SLACK_WEBHOOK_URL } }
  # pagerduty: { routingKey: { env: PAGERDUTY_ROUTING_KEY } }
  # sns: { topicArn: arn:aws:sns:us-east-1:123456789012:streamctl-pages }
`;
