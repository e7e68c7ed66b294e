import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Supply chain: what is installed is exactly what was reviewed. Every direct dependency is pinned
 * to one version, and the lockfile pins every transitive one by content hash, so `npm ci` installs
 * the same bytes on a developer's machine, in CI and in the Lambda bundles (or fails).
 */

const ROOT = join(import.meta.dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
  lockfileVersion: number;
  packages: Record<
    string,
    {
      version?: string;
      resolved?: string;
      integrity?: string;
      link?: boolean;
      dependencies?: Record<string, string>;
      devDependencies?: Record<string, string>;
    }
  >;
};
const direct = { ...manifest.dependencies, ...manifest.devDependencies };

describe('dependencies are pinned', () => {
  it('package.json names one exact version of every direct dependency (no ranges)', () => {
    const ranged = Object.entries(direct).filter(([, version]) => !/^\d+\.\d+\.\d+$/.test(version));
    expect(ranged).toEqual([]);
  });

  it('the lockfile agrees with package.json and installs exactly those versions', () => {
    expect(lock.lockfileVersion).toBeGreaterThanOrEqual(3);
    const root = lock.packages[''];
    expect(root?.dependencies).toEqual(manifest.dependencies);
    expect(root?.devDependencies).toEqual(manifest.devDependencies);
    for (const [name, version] of Object.entries(direct)) {
      expect(lock.packages[`node_modules/${name}`]?.version, name).toBe(version);
    }
  });

  it('every locked package is pinned by a SHA-512 content hash, and none from git or a URL', () => {
    // The lockfile omits `resolved` (npm then uses the configured registry); where a source is
    // recorded it must be the registry, never a git repository or an arbitrary tarball.
    const unpinned = Object.entries(lock.packages)
      .filter(([path, entry]) => path !== '' && !entry.link)
      .filter(
        ([, entry]) =>
          !entry.integrity?.startsWith('sha512-') ||
          (entry.resolved !== undefined &&
            !entry.resolved.startsWith('https://registry.npmjs.org/')),
      )
      .map(
        ([path, entry]) => `${path} ${entry.integrity ?? 'no integrity'} ${entry.resolved ?? ''}`,
      );
    expect(unpinned).toEqual([]);
    expect(Object.keys(lock.packages).length).toBeGreaterThan(100);
  });
});
