import { describe, expect, it } from 'vitest';
import { buildFeatures, type FeatureModule, type Infrastructure } from '../../src/features/feature.js';

/** How features are put together: each built once, contributions in the order listed. */

const infra = {} as Infrastructure;

describe('buildFeatures', () => {
  it('builds a feature once however many use it, and keeps the listed order', () => {
    const built: string[] = [];
    const base: FeatureModule<{ n: number }> = () => {
      built.push('base');
      return { exports: { n: 1 }, jobs: [{ name: 'base.job', run: () => Promise.resolve(0) }] };
    };
    const left: FeatureModule<{ n: number }> = (_infra, use) => {
      built.push('left');
      return { exports: { n: use(base).n + 1 } };
    };
    const right: FeatureModule<{ n: number }> = (_infra, use) => {
      built.push('right');
      return { exports: { n: use(base).n + use(left).n } };
    };
    const { features, use } = buildFeatures(infra, [right, left, base]);
    expect(built).toEqual(['right', 'base', 'left']);
    expect(features.map((f) => f.exports)).toEqual([{ n: 3 }, { n: 2 }, { n: 1 }]);
    expect(features.flatMap((f) => f.jobs ?? []).map((j) => j.name)).toEqual(['base.job']);
    expect(use(right).n).toBe(3);
  });

  it('refuses a feature that is used but not listed, whose contributions would be lost', () => {
    const hidden: FeatureModule<object> = () => ({ exports: {} });
    const shown: FeatureModule<object> = (_infra, use) => ({ exports: use(hidden) });
    expect(() => buildFeatures(infra, [shown])).toThrow('feature hidden is used but not listed');
  });

  it('refuses features that use each other', () => {
    const a: FeatureModule<object> = (_infra, use) => ({ exports: use(b) });
    const b: FeatureModule<object> = (_infra, use) => ({ exports: use(a) });
    expect(() => buildFeatures(infra, [a, b])).toThrow('uses itself');
  });
});
