import { expect } from 'chai';
import { startRedis, startRedisCluster } from '../support/redis-servers.js';

/** The Redis tests must run, or fail saying why: never pass by skipping. */
describe('The Redis test harness', () => {
  let path: string | undefined;
  beforeEach(() => {
    path = process.env.PATH;
    process.env.PATH = '/nonexistent';
  });
  afterEach(() => {
    process.env.PATH = path;
  });

  it('fails with a clear message when redis-server is missing, instead of skipping', async () => {
    const error = await startRedis({ dedicated: true }).then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(error?.message).to.match(/redis-server not found on PATH: install it .* do not skip/);
  });

  it('fails the same way for the cluster', async () => {
    const error = await startRedisCluster().then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(error?.message).to.match(/not found on PATH/);
  });
});
