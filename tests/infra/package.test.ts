/**
 * Packages the service once with `osls package` (offline, no AWS credentials) and checks the
 * CloudFormation template against docs/architecture.md and the infrastructure brief.
 *
 * Needs every handler in functions/. To check the infrastructure before they exist, point
 * NEWSROOM_FUNCTIONS_DIR at a folder of stand-in handlers (outside the project).
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { siteWideFiles } from '../../src/pages/not-found-page.js';
import { TEST_SITE } from '../support/releases.js';
import {
  actionsOf,
  type CfnTemplate,
  findCycle,
  type IamStatement,
  idsOfType,
  PROJECT_ROOT,
  packageService,
  REQUIRED_PARAMS,
  resource,
  roleStatements,
} from './template.js';

const FUNCTIONS = {
  publishRelease: 'publish-release',
  publishDue: 'publish-due',
  reconcile: 'reconcile',
  subscriptionsApi: 'subscriptions-api',
  sesNotifications: 'ses-notifications',
  sendDigest: 'send-digest',
  sendImmediate: 'send-immediate',
} as const;
type FunctionKey = keyof typeof FUNCTIONS;

const FEED_FUNCTIONS: FunctionKey[] = ['publishRelease', 'publishDue', 'reconcile'];
const MAIL_FUNCTIONS: FunctionKey[] = ['sendDigest', 'sendImmediate', 'subscriptionsApi'];
const ASYNC_FUNCTIONS: FunctionKey[] = [
  'publishDue',
  'reconcile',
  'sendDigest',
  'sesNotifications',
];

const capitalized = (key: string) => key.charAt(0).toUpperCase() + key.slice(1);
const lambdaId = (key: FunctionKey) => `${capitalized(key)}LambdaFunction`;
const roleId = (key: FunctionKey) => `${capitalized(key)}Role`;
const logGroupId = (key: FunctionKey) => `${capitalized(key)}LogGroup`;

// biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax, not JS.
const RELEASES_BUCKET_NAME = '${AWS::StackName}-releases-${AWS::AccountId}-${AWS::Region}';

let template: CfnTemplate;
let outputDir: string | undefined;

beforeAll(async () => {
  const functionsDir = process.env.NEWSROOM_FUNCTIONS_DIR ?? join(PROJECT_ROOT, 'functions');
  const result = await packageService(functionsDir);
  template = result.template;
  outputDir = result.outputDir;
  console.info(
    `osls package: ${result.seconds.toFixed(1)} s, ` +
      `${Object.keys(template.Resources).length} resources`,
  );
}, 300_000);

afterAll(async () => {
  if (outputDir) await rm(outputDir, { recursive: true, force: true });
});

function properties(id: string): Record<string, unknown> {
  return resource(template, id).Properties ?? {};
}

/** A statement's resources, each as JSON text, for "does it mention X" checks. */
function resourceTexts(statement: IamStatement): string[] {
  const list = Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
  return list.map((item) => JSON.stringify(item));
}

describe('functions', () => {
  it('runs every handler on nodejs22.x, arm64, with its own role', () => {
    for (const [key, file] of Object.entries(FUNCTIONS) as [FunctionKey, string][]) {
      expect(properties(lambdaId(key))).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: `functions/${file}.handler`,
        Role: { 'Fn::GetAtt': [roleId(key), 'Arn'] },
      });
    }
    expect(idsOfType(template, 'AWS::Lambda::Function')).toHaveLength(7);
  });

  it('reserves concurrency 1 for digest runs only; the publisher is serialized by its FIFO queue', () => {
    expect(properties(lambdaId('sendDigest')).ReservedConcurrentExecutions).toBe(1);
    for (const key of ['publishRelease', 'publishDue', 'reconcile', 'subscriptionsApi'] as const) {
      expect(properties(lambdaId(key)).ReservedConcurrentExecutions, key).toBeUndefined();
    }
  });

  it('gives every function its own log group, kept 30 days', () => {
    for (const key of Object.keys(FUNCTIONS) as FunctionKey[]) {
      expect(properties(logGroupId(key)).RetentionInDays).toBe(30);
      expect(resource(template, lambdaId(key)).DependsOn).toContain(logGroupId(key));
      const logStatements = roleStatements(template, roleId(key)).filter((statement) =>
        actionsOf(statement).some((action) => action.startsWith('logs:')),
      );
      expect(logStatements).toEqual([
        expect.objectContaining({ Resource: { 'Fn::GetAtt': [logGroupId(key), 'Arn'] } }),
      ]);
    }
  });

  it('passes every variable of docs/architecture.md except the local-only endpoints', () => {
    const expected = [
      'RELEASES_BUCKET',
      'PUBLIC_BUCKET',
      'SITE_URL',
      'SITE_TITLE',
      ...BRANDING_VARIABLES,
      'TIME_ZONE',
      'DEFAULT_LANG',
      'FEED_LIMIT',
      'POWERTOOLS_SERVICE_NAME',
      'ID_AUTHORITY',
      'WEBSUB_HUB',
      'MAIL_FROM',
      'STAFF_EMAIL',
      'STAFF_LANG',
      'STAFF_NOTIFY',
      'TOKEN_SECRET',
      'SES_SEND_RATE',
      'IMMEDIATE_QUEUE_URL',
      'DIGEST_QUEUE_URL',
      'PIPELINE_QUEUE_URL',
    ];
    // A function's own settings (docs/subscriptions.md) come on top of the shared ones.
    const own: Partial<Record<FunctionKey, string[]>> = {
      subscriptionsApi: [
        'ALLOWED_ORIGINS',
        'CONFIRM_LIMIT_MAILBOX',
        'CONFIRM_LIMIT_NETWORK',
        'CONFIRM_LIMIT_HOURLY',
      ],
      sesNotifications: ['SES_NOTIFICATIONS_TOPIC_ARN'],
    };
    for (const key of Object.keys(FUNCTIONS) as FunctionKey[]) {
      const environment = properties(lambdaId(key)).Environment as {
        Variables: Record<string, unknown>;
      };
      expect(Object.keys(environment.Variables).sort()).toEqual(
        [...expected, ...(own[key] ?? [])].sort(),
      );
      expect(environment.Variables).toMatchObject({
        TIME_ZONE: 'Europe/Helsinki',
        DEFAULT_LANG: 'fi',
        FEED_LIMIT: '50',
        MAIL_FROM: REQUIRED_PARAMS.mailFrom,
        STAFF_EMAIL: REQUIRED_PARAMS.staffEmail,
        RELEASES_BUCKET: { 'Fn::Sub': RELEASES_BUCKET_NAME },
        // Branding params default to blank, which the functions read as unset (their defaults).
        ...Object.fromEntries(BRANDING_VARIABLES.map((name) => [name, ''])),
        // Resolved by CloudFormation at deploy time; the template never holds the secret.
        TOKEN_SECRET: expect.stringMatching(
          /^\{\{resolve:secretsmanager:newsroom\/test\/[^}]+\}\}$/,
        ),
      });
    }
  });
});

/** The branding variables (docs/branding.md), one deploy param each. */
const BRANDING_VARIABLES = [
  'SITE_NAME_FI',
  'SITE_NAME_SV',
  'SITE_NAME_EN',
  'SITE_LOGO',
  'SITE_COLOR',
  'SITE_CONTACT',
  'PRIVACY_URL',
  'ACCESSIBILITY_URL',
];

describe('buckets', () => {
  const blocked = {
    BlockPublicAcls: true,
    BlockPublicPolicy: true,
    IgnorePublicAcls: true,
    RestrictPublicBuckets: true,
  };

  it('blocks all public access and encrypts both buckets', () => {
    for (const id of ['ReleasesBucket', 'PublicBucket']) {
      expect(properties(id).PublicAccessBlockConfiguration).toEqual(blocked);
      expect(properties(id).BucketEncryption).toMatchObject({
        ServerSideEncryptionConfiguration: [
          { ServerSideEncryptionByDefault: { SSEAlgorithm: expect.any(String) } },
        ],
      });
    }
  });

  it('versions the releases bucket and expires noncurrent versions', () => {
    expect(properties('ReleasesBucket').VersioningConfiguration).toEqual({ Status: 'Enabled' });
    const rules = (properties('ReleasesBucket').LifecycleConfiguration as { Rules: unknown[] })
      .Rules;
    expect(rules).toContainEqual(
      expect.objectContaining({
        Prefix: 'releases/',
        Status: 'Enabled',
        NoncurrentVersionExpiration: { NoncurrentDays: expect.any(Number) },
      }),
    );
    expect(resource(template, 'ReleasesBucket')).toMatchObject({ DeletionPolicy: 'Retain' });
  });

  it('lets only CloudFront, through Origin Access Control, read the public bucket', () => {
    const policy = properties('PublicBucketPolicy').PolicyDocument as {
      Statement: Array<Record<string, unknown>>;
    };
    const allows = policy.Statement.filter((statement) => statement.Effect === 'Allow');
    // GetObject on the objects, and ListBucket so a missing key is a 404 for the site's 404 page.
    expect(allows).toHaveLength(2);
    expect(allows[1]).toMatchObject({
      Principal: { Service: 'cloudfront.amazonaws.com' },
      Action: 's3:ListBucket',
      Resource: { 'Fn::GetAtt': ['PublicBucket', 'Arn'] },
    });
    expect(allows[0]).toMatchObject({
      Principal: { Service: 'cloudfront.amazonaws.com' },
      Action: 's3:GetObject',
      Condition: {
        StringEquals: {
          // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax.
          'AWS:SourceArn': { 'Fn::Sub': expect.stringContaining('${SiteDistribution}') },
        },
      },
    });

    const distribution = properties('SiteDistribution').DistributionConfig as {
      Origins: Array<Record<string, unknown>>;
      DefaultCacheBehavior: Record<string, unknown>;
      CacheBehaviors: Array<Record<string, unknown>>;
    };
    expect(distribution.Origins).toContainEqual(
      expect.objectContaining({
        DomainName: { 'Fn::GetAtt': ['PublicBucket', 'RegionalDomainName'] },
        OriginAccessControlId: { 'Fn::GetAtt': ['SiteOriginAccessControl', 'Id'] },
        S3OriginConfig: { OriginAccessIdentity: '' },
      }),
    );
    expect(distribution.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(distribution.CacheBehaviors).toContainEqual(
      expect.objectContaining({ PathPattern: '/api/*', TargetOriginId: 'api' }),
    );
  });

  it('answers a missing key with the site’s localized 404.html and status 404', () => {
    const distribution = properties('SiteDistribution').DistributionConfig as {
      CustomErrorResponses: Array<Record<string, unknown>>;
    };
    expect(distribution.CustomErrorResponses).toEqual([
      { ErrorCode: 404, ResponsePagePath: '/404.html', ResponseCode: 404, ErrorCachingMinTTL: 60 },
    ]);
    // The page it names is one every build writes (src/pages/not-found-page.ts).
    expect(siteWideFiles(TEST_SITE).map((file) => `/${file.path}`)).toContain('/404.html');
  });

  it('serves the site with a Content-Security-Policy that allows no script', () => {
    const distribution = properties('SiteDistribution').DistributionConfig as {
      DefaultCacheBehavior: Record<string, unknown>;
    };
    expect(distribution.DefaultCacheBehavior.ResponseHeadersPolicyId).toEqual({
      Ref: 'SiteResponseHeaders',
    });
    const headers = properties('SiteResponseHeaders').ResponseHeadersPolicyConfig as {
      SecurityHeadersConfig: { ContentSecurityPolicy: { ContentSecurityPolicy: string } };
    };
    const csp = headers.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy;
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toMatch(/script-src/);
    expect(csp).toContain("form-action 'self'");
  });

  it('sends object events under releases/ and drafts/ through EventBridge onto the publishing FIFO queue', () => {
    expect(properties('ReleasesBucket').NotificationConfiguration).toEqual({
      EventBridgeConfiguration: { EventBridgeEnabled: true },
    });
    expect(properties('ReleasesBucket').BucketName).toEqual({ 'Fn::Sub': RELEASES_BUCKET_NAME });
    expect(properties('PipelineEvents')).toMatchObject({
      EventPattern: {
        source: ['aws.s3'],
        'detail-type': ['Object Created', 'Object Deleted'],
        detail: {
          bucket: { name: [{ 'Fn::Sub': RELEASES_BUCKET_NAME }] },
          object: { key: [{ prefix: 'releases/' }, { prefix: 'drafts/' }] },
        },
      },
      Targets: [
        {
          Arn: { 'Fn::GetAtt': ['PipelineQueue', 'Arn'] },
          SqsParameters: { MessageGroupId: 'site' },
        },
      ],
    });
    const policy = JSON.stringify(properties('PipelineQueuePolicy'));
    expect(policy).toContain('events.amazonaws.com');
    expect(policy).toContain('"aws:SourceArn":{"Fn::GetAtt":["PipelineEvents","Arn"]}');
    expect(
      idsOfType(template, 'AWS::Lambda::Permission').map((id) => properties(id).Principal),
    ).not.toContain('s3.amazonaws.com');
  });

  it('has no circular dependency between resources', () => {
    expect(findCycle(template)).toBeUndefined();
  });
});

describe('schedules', () => {
  function schedulesOf(key: FunctionKey) {
    return idsOfType(template, 'AWS::Scheduler::Schedule')
      .map((id) => properties(id))
      .filter(
        (schedule) =>
          JSON.stringify((schedule.Target as { Arn: unknown }).Arn) ===
          JSON.stringify({ 'Fn::GetAtt': [lambdaId(key), 'Arn'] }),
      )
      .map((schedule) => ({
        expression: schedule.ScheduleExpression,
        timeZone: schedule.ScheduleExpressionTimezone,
        input: (schedule.Target as { Input?: string }).Input,
        role: (schedule.Target as { RoleArn: unknown }).RoleArn,
      }));
  }

  it('runs everything on EventBridge Scheduler in Helsinki time, with its own role', () => {
    const all = idsOfType(template, 'AWS::Scheduler::Schedule').map((id) => properties(id));
    expect(all).toHaveLength(4);
    for (const schedule of all) {
      expect(schedule.ScheduleExpressionTimezone).toBe('Europe/Helsinki');
      expect((schedule.Target as { RoleArn: unknown }).RoleArn).toEqual({
        'Fn::GetAtt': ['SchedulerInvokeRole', 'Arn'],
      });
    }
  });

  it('enqueues the embargo tick every 5 minutes and the reconcile nightly at 03:30, touching no bucket', () => {
    for (const key of ['publishDue', 'reconcile'] as const) {
      const statements = roleStatements(template, roleId(key)).filter(
        (statement) => !actionsOf(statement).some((action) => action.startsWith('logs:')),
      );
      expect(statements.flatMap(actionsOf).filter((action) => action.startsWith('s3:'))).toEqual(
        [],
      );
      expect(statements).toContainEqual(
        expect.objectContaining({
          Action: 'sqs:SendMessage',
          Resource: { 'Fn::GetAtt': ['PipelineQueue', 'Arn'] },
        }),
      );
    }
    expect(schedulesOf('publishDue').map((schedule) => schedule.expression)).toEqual([
      'rate(5 minutes)',
    ]);
    expect(schedulesOf('reconcile').map((schedule) => schedule.expression)).toEqual([
      'cron(30 3 * * ? *)',
    ]);
  });

  it('sends the daily digest at 08:00 and the weekly one on Mondays at 08:00', () => {
    const digests = schedulesOf('sendDigest').map((schedule) => ({
      expression: schedule.expression,
      input: JSON.parse(schedule.input ?? '{}'),
    }));
    expect(digests).toEqual(
      expect.arrayContaining([
        { expression: 'cron(0 8 * * ? *)', input: { frequency: 'daily' } },
        { expression: 'cron(0 8 ? * MON *)', input: { frequency: 'weekly' } },
      ]),
    );
    expect(digests).toHaveLength(2);
  });

  it('lets the scheduler invoke only the scheduled functions', () => {
    const invoked = roleStatements(template, 'SchedulerInvokeRole').flatMap(resourceTexts);
    expect(invoked.sort()).toEqual(
      (['publishDue', 'reconcile', 'sendDigest'] as const)
        .map((key) => JSON.stringify({ 'Fn::GetAtt': [lambdaId(key), 'Arn'] }))
        .sort(),
    );
  });
});

describe('least privilege', () => {
  it('keeps the feed functions away from SES, subscribers/ and digests/', () => {
    for (const key of FEED_FUNCTIONS) {
      const statements = roleStatements(template, roleId(key));
      for (const statement of statements) {
        for (const action of actionsOf(statement)) {
          expect(action).not.toMatch(/^(ses:|\*$|s3:\*$)/);
        }
        expect(JSON.stringify(statement)).not.toMatch(/subscribers\/|digests\//);
      }
      expect(JSON.stringify(statements)).toContain('sqs:SendMessage');
    }
  });

  it('gives the mail functions no access at all to the public bucket', () => {
    for (const key of MAIL_FUNCTIONS) {
      for (const statement of roleStatements(template, roleId(key))) {
        expect(JSON.stringify(statement)).not.toContain('PublicBucket');
        expect(actionsOf(statement)).not.toContain('s3:*');
      }
    }
  });

  it('lets the mail functions send raw mail only from MAIL_FROM', () => {
    for (const key of MAIL_FUNCTIONS) {
      const ses = roleStatements(template, roleId(key)).filter((statement) =>
        actionsOf(statement).some((action) => action.startsWith('ses:')),
      );
      expect(ses).toHaveLength(1);
      expect(actionsOf(ses[0] as IamStatement)).toEqual(['ses:SendRawEmail']);
      expect(ses[0]?.Condition).toEqual({
        StringEquals: { 'ses:FromAddress': REQUIRED_PARAMS.mailFrom },
      });
    }
  });

  it('confines ses-notifications to subscribers/', () => {
    const statements = roleStatements(template, 'SesNotificationsRole');
    for (const statement of statements) {
      for (const action of actionsOf(statement)) expect(action).not.toMatch(/^ses:/);
      if (actionsOf(statement).some((action) => action.startsWith('s3:'))) {
        const text = JSON.stringify(statement);
        expect(text).toContain('subscribers/');
        expect(text).not.toMatch(/(releases|state|reports|digests)\//);
      }
    }
  });

  it('keeps drafts private: the publisher reads drafts/ and writes previews/, the API only reads previews/', () => {
    const granted = (key: FunctionKey, action: string, prefix: string) =>
      roleStatements(template, roleId(key)).some(
        (statement) =>
          actionsOf(statement).includes(action) &&
          resourceTexts(statement).some((text) => text.includes(`/${prefix}/*`)),
      );
    expect(granted('publishRelease', 's3:GetObject', 'drafts')).toBe(true);
    expect(granted('publishRelease', 's3:PutObject', 'previews')).toBe(true);
    expect(granted('subscriptionsApi', 's3:GetObject', 'previews')).toBe(true);
    expect(granted('subscriptionsApi', 's3:PutObject', 'previews')).toBe(false);
    expect(granted('subscriptionsApi', 's3:GetObject', 'drafts')).toBe(false);
    // The publisher finds a draft's media under drafts/ and keeps their private copies in previews/.
    const listed = roleStatements(template, roleId('publishRelease'))
      .filter((statement) => actionsOf(statement).includes('s3:ListBucket'))
      .map((statement) => JSON.stringify(statement));
    expect(listed.some((text) => text.includes('drafts/*') && text.includes('previews/*'))).toBe(
      true,
    );
    expect(granted('publishRelease', 's3:GetObject', 'previews')).toBe(true);
    const staff = JSON.stringify(properties('StaffUploadPolicy'));
    expect(staff).toContain('/drafts/*');
    expect(staff).not.toContain('/previews/*');
  });

  it('addresses the releases bucket by the same name everywhere', () => {
    const s3Arns = Object.keys(FUNCTIONS)
      .flatMap((key) => roleStatements(template, roleId(key as FunctionKey)))
      .filter((statement) => actionsOf(statement).some((action) => action.startsWith('s3:')))
      .flatMap(resourceTexts)
      .filter((text) => text.includes(':s3:::'));
    expect(s3Arns.length).toBeGreaterThan(0);
    for (const arn of s3Arns) expect(arn).toContain(RELEASES_BUCKET_NAME);
  });
});

describe('queues and failures', () => {
  it('gives every work queue a dead-letter queue', () => {
    for (const [queue, deadLetters] of [
      ['PipelineQueue', 'PipelineDeadLetterQueue'],
      ['ImmediateQueue', 'ImmediateDeadLetterQueue'],
      ['DigestQueue', 'DigestDeadLetterQueue'],
    ] as const) {
      expect(properties(queue).RedrivePolicy).toMatchObject({
        deadLetterTargetArn: { 'Fn::GetAtt': [deadLetters, 'Arn'] },
        maxReceiveCount: expect.any(Number),
      });
      expect(resource(template, deadLetters).Type).toBe('AWS::SQS::Queue');
    }
  });

  it('sends failed asynchronous invocations to the failure queue, which the roles may write', () => {
    for (const key of ASYNC_FUNCTIONS) {
      const config = idsOfType(template, 'AWS::Lambda::EventInvokeConfig')
        .map((id) => properties(id))
        .find(
          (props) => JSON.stringify(props.FunctionName) === JSON.stringify({ Ref: lambdaId(key) }),
        );
      expect(config, key).toMatchObject({
        DestinationConfig: {
          OnFailure: { Destination: { 'Fn::GetAtt': ['FailedInvocationsQueue', 'Arn'] } },
        },
      });
      expect(roleStatements(template, roleId(key))).toContainEqual(
        expect.objectContaining({
          Action: 'sqs:SendMessage',
          Resource: { 'Fn::GetAtt': ['FailedInvocationsQueue', 'Arn'] },
        }),
      );
    }
  });

  it('makes the publishing queue FIFO, consumed by publish-release alone, its failures alarmed', () => {
    expect(properties('PipelineQueue')).toMatchObject({
      FifoQueue: true,
      ContentBasedDeduplication: true,
      RedrivePolicy: { maxReceiveCount: 5 },
    });
    expect(properties('PipelineDeadLetterQueue').FifoQueue).toBe(true);
    const consumers = idsOfType(template, 'AWS::Lambda::EventSourceMapping')
      .map((id) => properties(id))
      .filter(
        (mapping) =>
          JSON.stringify(mapping.EventSourceArn) ===
          JSON.stringify({ 'Fn::GetAtt': ['PipelineQueue', 'Arn'] }),
      );
    expect(consumers).toEqual([
      expect.objectContaining({
        FunctionName: { 'Fn::GetAtt': ['PublishReleaseLambdaFunction', 'Arn'] },
        BatchSize: 10,
      }),
    ]);
    // The visibility timeout covers a whole batch, reconcile included, six times over.
    expect(properties('PipelineQueue').VisibilityTimeout).toBe(
      6 * (properties(lambdaId('publishRelease')).Timeout as number),
    );
    expect(properties('PipelineDeadLetterAlarm')).toMatchObject({
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [
        { Name: 'QueueName', Value: { 'Fn::GetAtt': ['PipelineDeadLetterQueue', 'QueueName'] } },
      ],
      Threshold: 0,
      AlarmActions: [{ Ref: 'OpsAlarmTopic' }],
    });
    expect(roleStatements(template, roleId('publishRelease'))).toContainEqual(
      expect.objectContaining({ Resource: { 'Fn::GetAtt': ['PipelineQueue', 'Arn'] } }),
    );
  });

  it('feeds send-immediate from the immediate queue and send-digest from its continuation queue', () => {
    const mappings = idsOfType(template, 'AWS::Lambda::EventSourceMapping').map((id) =>
      properties(id),
    );
    expect(mappings).toContainEqual(
      expect.objectContaining({
        EventSourceArn: { 'Fn::GetAtt': ['ImmediateQueue', 'Arn'] },
        FunctionName: { 'Fn::GetAtt': ['SendImmediateLambdaFunction', 'Arn'] },
        ScalingConfig: { MaximumConcurrency: 2 },
      }),
    );
    expect(mappings).toContainEqual(
      expect.objectContaining({
        EventSourceArn: { 'Fn::GetAtt': ['DigestQueue', 'Arn'] },
        FunctionName: { 'Fn::GetAtt': ['SendDigestLambdaFunction', 'Arn'] },
      }),
    );
  });

  it('subscribes ses-notifications to the SES topic, which SES may publish to', () => {
    expect(
      idsOfType(template, 'AWS::SNS::Subscription').map((id) => properties(id)),
    ).toContainEqual(
      expect.objectContaining({
        TopicArn: { Ref: 'SesNotificationsTopic' },
        Protocol: 'lambda',
        Endpoint: { 'Fn::GetAtt': ['SesNotificationsLambdaFunction', 'Arn'] },
      }),
    );
    expect(JSON.stringify(properties('SesNotificationsTopicPolicy'))).toContain(
      'ses.amazonaws.com',
    );
    // The function applies notifications from this topic only.
    const environment = properties(lambdaId('sesNotifications')).Environment as {
      Variables: Record<string, unknown>;
    };
    expect(environment.Variables.SES_NOTIFICATIONS_TOPIC_ARN).toEqual({
      Ref: 'SesNotificationsTopic',
    });
  });

  it('alarms when sign-ups reach the site-wide hourly cap of confirmation mails', () => {
    expect(properties('SignupCapMetricFilter')).toMatchObject({
      LogGroupName: { Ref: 'SubscriptionsApiLogGroup' },
      FilterPattern: '{ $.event = "subscribe.global-cap" }',
    });
    expect(properties('SignupCapAlarm')).toMatchObject({
      MetricName: 'SignupGlobalCapHit',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: [{ Ref: 'OpsAlarmTopic' }],
    });
  });
});

describe('alarms on the counters (EMF)', () => {
  const service = { Name: 'service', Value: 'newsroom-test' };

  it("names every function's service as the alarms do", () => {
    for (const name of [
      'publishRelease',
      'sendDigest',
      'sendImmediate',
      'sesNotifications',
    ] as const) {
      const environment = properties(lambdaId(name)).Environment as {
        Variables: Record<string, unknown>;
      };
      expect(environment.Variables.POWERTOOLS_SERVICE_NAME).toBe(service.Value);
    }
  });

  it.each([
    ['ComplaintRateAlarm', 'Complained', 0.1],
    ['BounceRateAlarm', 'Bounced', 2],
  ])('%s alarms on %s per 100 mails sent in a day, over %s', (id, counter, threshold) => {
    const alarm = properties(id) as {
      Metrics: { Id: string; Expression?: string; MetricStat?: Record<string, unknown> }[];
    };
    expect(alarm).toMatchObject({
      Threshold: threshold,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: [{ Ref: 'OpsAlarmTopic' }],
    });
    const stats = alarm.Metrics.flatMap((metric) => (metric.MetricStat ? [metric.MetricStat] : []));
    expect(stats).toEqual([
      expect.objectContaining({
        Metric: { Namespace: 'Newsroom', MetricName: counter, Dimensions: [service] },
        Period: 86400,
        Stat: 'Sum',
      }),
      expect.objectContaining({
        Metric: { Namespace: 'Newsroom', MetricName: 'MailsSent', Dimensions: [service] },
      }),
    ]);
    expect(alarm.Metrics.at(-1)?.Expression).toMatch(/^100 \* \w+ \/ sent$/);
  });

  it('alarms when sign-ups hit the confirmation limits more than 20 times in an hour', () => {
    expect(properties('ConfirmationLimitAlarm')).toMatchObject({
      Namespace: 'Newsroom',
      MetricName: 'ConfirmationLimitHits',
      Dimensions: [service],
      Period: 3600,
      Threshold: 20,
      AlarmActions: [{ Ref: 'OpsAlarmTopic' }],
    });
  });
});

describe('HTTP API', () => {
  it('routes /api/* to subscriptions-api with throttling', () => {
    expect(
      idsOfType(template, 'AWS::ApiGatewayV2::Route').map((id) => properties(id).RouteKey),
    ).toEqual(['ANY /api/{proxy+}']);
    expect(properties('HttpApiIntegrationSubscriptionsApi').IntegrationUri).toEqual({
      'Fn::GetAtt': ['SubscriptionsApiLambdaFunction', 'Arn'],
    });
    expect(properties('HttpApiStage').DefaultRouteSettings).toMatchObject({
      ThrottlingBurstLimit: 20,
      ThrottlingRateLimit: 10,
    });
  });
});
