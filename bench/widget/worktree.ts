import { execFile } from 'node:child_process';
import { mkdtemp, rm, symlink, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A detached checkout of another ref, sharing the main tree's node_modules. */
export interface Worktree {
  root: string;
  commit: string;
  remove(): Promise<void>;
}

async function git(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('git', args, { cwd, encoding: 'utf8' });
  return stdout.trim();
}

/**
 * `git worktree add --detach` into a temporary folder. The main tree's working files and
 * index are not touched, so engineers editing it are not disturbed; node_modules is a
 * symlink, so the baseline builds with the same esbuild and dependencies.
 */
export async function addWorktree(mainRoot: string, ref: string): Promise<Worktree> {
  const commit = await git(mainRoot, 'rev-parse', '--verify', `${ref}^{commit}`);
  const holder = await mkdtemp(join(tmpdir(), 'quietline-bench-baseline-'));
  const root = join(holder, 'tree');
  await git(mainRoot, 'worktree', 'add', '--detach', root, commit);
  await symlink(join(mainRoot, 'node_modules'), join(root, 'node_modules'), 'dir');
  return {
    root,
    commit,
    async remove() {
      // Unlink our symlink first, so nothing can follow it into the main tree's node_modules.
      await unlink(join(root, 'node_modules')).catch(() => undefined);
      try {
        await git(mainRoot, 'worktree', 'remove', '--force', root);
      } catch {
        // A half-created worktree: drop the folder and let git forget it.
        await rm(root, { recursive: true, force: true });
        await git(mainRoot, 'worktree', 'prune');
      }
      await rm(holder, { recursive: true, force: true });
    },
  };
}

export async function describeCommit(root: string, ref = 'HEAD'): Promise<string> {
  return git(root, 'log', '-1', '--format=%h %s', ref);
}
