/**
 * Packages the service with osls, offline and without AWS credentials, and reads the generated
 * CloudFormation template. Shared by the infrastructure tests.
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The handler files docs/architecture.md names, without `.ts`. */
const HANDLER_FILES = [
  'publish-release',
  'publish-due',
  'reconcile',
  'subscriptions-api',
  'ses-notifications',
  'send-digest',
  'send-immediate',
] as const;

/** Deploy parameters that have no default in serverless.yml. */
export const REQUIRED_PARAMS = {
  mailFrom: 'tiedotteet@example.fi',
  staffEmail: 'viestinta@example.fi',
} as const;

export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  DependsOn?: string | string[];
  Condition?: string;
}

export interface CfnTemplate {
  Resources: Record<string, CfnResource>;
  Outputs?: Record<string, unknown>;
  Conditions?: Record<string, unknown>;
}

export interface PackageResult {
  template: CfnTemplate;
  seconds: number;
  outputDir: string;
}

// Left out of the copy: VCS, build output, and anything that only matters to other tools.
const NOT_COPIED = new Set([
  'node_modules',
  '.git',
  '.serverless',
  '.esbuild',
  '.build',
  'dist',
  'coverage',
  'out',
  '.local',
]);

/**
 * Runs `osls package` on a copy of the project (so the project folder gets no `.esbuild/` or
 * `.serverless/` while others work in it) with handler files from `functionsDir`, and returns the
 * generated template. Fails with the list of missing handler files before spending time on osls.
 * The caller removes `outputDir` (the template and the zips) when done with it.
 */
export async function packageService(functionsDir: string): Promise<PackageResult> {
  const missing = [];
  const present = new Set(await readdir(functionsDir).catch(() => []));
  for (const name of HANDLER_FILES) {
    if (!present.has(`${name}.ts`)) missing.push(`${name}.ts`);
  }
  if (missing.length > 0) {
    throw new Error(
      `Cannot package: ${functionsDir} lacks ${missing.join(', ')}. ` +
        'These handlers are written by other engineers; until they exist, set ' +
        'NEWSROOM_FUNCTIONS_DIR to a folder of stand-in handlers to check the infrastructure.',
    );
  }

  const serviceDir = await mkdtemp(join(tmpdir(), 'newsroom-service-'));
  for (const entry of await readdir(PROJECT_ROOT)) {
    if (!NOT_COPIED.has(entry) && entry !== 'functions') {
      await cp(join(PROJECT_ROOT, entry), join(serviceDir, entry), { recursive: true });
    }
  }
  await mkdir(join(serviceDir, 'functions'));
  await cp(functionsDir, join(serviceDir, 'functions'), { recursive: true });
  await symlink(join(PROJECT_ROOT, 'node_modules'), join(serviceDir, 'node_modules'), 'dir');

  const outputDir = await mkdtemp(join(tmpdir(), 'newsroom-package-'));
  const home = await mkdtemp(join(tmpdir(), 'newsroom-home-'));
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, AWS_SDK_LOAD_CONFIG: '0' };
  for (const name of [
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_SESSION_TOKEN',
    'AWS_PROFILE',
  ]) {
    delete env[name];
  }
  const params = Object.entries(REQUIRED_PARAMS).map(([key, value]) => `--param=${key}=${value}`);
  const started = performance.now();
  try {
    await execFileAsync(
      process.execPath,
      [
        join(PROJECT_ROOT, 'node_modules', 'osls', 'bin', 'serverless.js'),
        'package',
        '--stage',
        'test',
        ...params,
        '--package',
        outputDir,
      ],
      { cwd: serviceDir, env, timeout: 240_000, maxBuffer: 16 * 1024 * 1024 },
    );
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`osls package failed:\n${stdout}\n${stderr}`, { cause: error });
  } finally {
    await rm(serviceDir, { recursive: true, force: true });
    await rm(home, { recursive: true, force: true });
  }
  const seconds = (performance.now() - started) / 1000;
  const text = await readFile(join(outputDir, 'cloudformation-template-update-stack.json'), 'utf8');
  return { template: JSON.parse(text) as CfnTemplate, seconds, outputDir };
}

/** The logical ids of every resource of `type`. */
export function idsOfType(template: CfnTemplate, type: string): string[] {
  return Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === type)
    .map(([id]) => id);
}

/** The resource with this logical id; throws when there is none, so assertions stay simple. */
export function resource(template: CfnTemplate, id: string): CfnResource {
  const found = template.Resources[id];
  if (!found) throw new Error(`Template has no resource ${id}`);
  return found;
}

export interface IamStatement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

/** Every statement of every inline policy of an IAM role. */
export function roleStatements(template: CfnTemplate, roleId: string): IamStatement[] {
  const policies = (resource(template, roleId).Properties?.Policies ?? []) as Array<{
    PolicyDocument: { Statement: IamStatement[] };
  }>;
  return policies.flatMap((policy) => policy.PolicyDocument.Statement);
}

/** A statement's actions as a list. */
export function actionsOf(statement: IamStatement): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}

/** Logical ids a value refers to through Ref, Fn::GetAtt or Fn::Sub. */
function referencesIn(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    for (const item of value) referencesIn(item, into);
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'Ref' && typeof inner === 'string') {
        into.add(inner);
      } else if (key === 'Fn::GetAtt') {
        const target = Array.isArray(inner) ? inner[0] : String(inner).split('.')[0];
        if (typeof target === 'string') into.add(target);
      } else if (key === 'Fn::Sub') {
        const text = Array.isArray(inner) ? inner[0] : inner;
        if (typeof text === 'string') {
          for (const match of text.matchAll(/\$\{([A-Za-z0-9]+)(?:\.[A-Za-z0-9.]+)?\}/g)) {
            if (match[1]) into.add(match[1]);
          }
        }
        if (Array.isArray(inner)) referencesIn(inner[1], into);
      } else {
        referencesIn(inner, into);
      }
    }
  }
  return into;
}

/**
 * A dependency cycle between resources (the ids in order, first repeated at the end), or
 * `undefined`. CloudFormation rejects templates with one ("Circular dependency between resources").
 */
export function findCycle(template: CfnTemplate): string[] | undefined {
  const ids = new Set(Object.keys(template.Resources));
  const edges = new Map<string, string[]>();
  for (const [id, res] of Object.entries(template.Resources)) {
    const dependsOn = res.DependsOn === undefined ? [] : [res.DependsOn].flat();
    const targets = new Set([...referencesIn(res.Properties), ...dependsOn]);
    edges.set(
      id,
      [...targets].filter((target) => ids.has(target)),
    );
  }
  const state = new Map<string, 'visiting' | 'done'>();
  const path: string[] = [];
  const visit = (id: string): string[] | undefined => {
    if (state.get(id) === 'done') return undefined;
    if (state.get(id) === 'visiting') return [...path.slice(path.indexOf(id)), id];
    state.set(id, 'visiting');
    path.push(id);
    for (const next of edges.get(id) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const id of ids) {
    const cycle = visit(id);
    if (cycle) return cycle;
  }
  return undefined;
}
