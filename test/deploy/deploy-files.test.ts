import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/**
 * The Docker files, checked by reading them: the development machine has no Docker daemon,
 * so nothing here builds an image or starts a container. What these tests hold is what
 * docs/operations.md promises about the compose set-up.
 */
const root = process.cwd();
const read = (path: string) => readFileSync(join(root, path), 'utf8');

interface ComposeService {
  image?: string;
  build?: unknown;
  user?: string;
  read_only?: boolean;
  cap_drop?: string[];
  security_opt?: string[];
  stop_grace_period?: string;
  environment?: Record<string, string | number | boolean | null> | string[];
  volumes?: Array<string | { source?: string; target?: string; read_only?: boolean }>;
  ports?: Array<string | number | { published?: string | number }>;
  networks?: string[] | Record<string, unknown>;
  command?: string[] | string;
}
interface ComposeFile {
  services: Record<string, ComposeService>;
  networks?: Record<string, { internal?: boolean } | null>;
}

const compose = parse(read('docker-compose.yml'), { merge: true }) as ComposeFile;
const services = compose.services;
const nodeNames = Object.keys(services).filter((name) => name.startsWith('quietline-'));

function environmentOf(service: ComposeService): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(env.map((entry) => [entry.split('=')[0]!, entry.slice(entry.indexOf('=') + 1)]));
  }
  return Object.fromEntries(Object.entries(env).map(([key, value]) => [key, String(value ?? '')]));
}

/** Bind mounts as { source, target, readOnly }, from the short or the long syntax. */
function mountsOf(service: ComposeService): Array<{ source: string; target: string; readOnly: boolean }> {
  return (service.volumes ?? []).map((volume) => {
    if (typeof volume === 'string') {
      const [source = '', target = '', mode = ''] = volume.split(':');
      return { source, target, readOnly: mode.split(',').includes('ro') };
    }
    return { source: volume.source ?? '', target: volume.target ?? '', readOnly: volume.read_only === true };
  });
}

function networksOf(service: ComposeService): string[] {
  const networks = service.networks ?? [];
  return Array.isArray(networks) ? networks : Object.keys(networks);
}

function seconds(duration: string | undefined): number {
  const match = /^(\d+)(s|m)?$/.exec(duration ?? '');
  if (!match) throw new Error(`not a duration in seconds or minutes: ${duration}`);
  return Number(match[1]) * (match[2] === 'm' ? 60 : 1);
}

/** The host file mounted at `target` in `service`, read from the repository. */
function mountedFile(service: ComposeService, target: string): string {
  const mount = mountsOf(service).find((m) => m.target === target);
  if (!mount) throw new Error(`nothing is mounted at ${target}`);
  return read(mount.source);
}

/** Every environment name the settings schema defines: a key `NAME:` in settings.ts. */
const settingsText = read('server/config/settings.ts');
const isSetting = (name: string) => new RegExp(`^\\s*${name}:`, 'm').test(settingsText);

// ---- HAProxy: sections of deploy/haproxy.cfg ------------------------------------------------
const haproxy = mountedFile(services.lb!, '/usr/local/etc/haproxy/haproxy.cfg');

/** The lines of one section ("backend quietline"), comments and blank lines left out. */
function section(text: string, header: string): string[] {
  const lines = text.split('\n').map((line) => line.replace(/#.*$/, '').trimEnd());
  const start = lines.findIndex((line) => line.trim() === header);
  if (start < 0) throw new Error(`haproxy.cfg has no section "${header}"`);
  const body: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (/^\S/.test(line)) break;
    if (line.trim()) body.push(line.trim());
  }
  return body;
}

function defaultBackend(): string {
  const line = section(haproxy, 'frontend http').find((l) => l.startsWith('default_backend '));
  if (!line) throw new Error('the frontend names no default_backend');
  return line.split(/\s+/)[1]!;
}

function haproxySeconds(value: string): number {
  const match = /^(\d+)(ms|s|m|h)?$/.exec(value);
  if (!match) throw new Error(`not an HAProxy time: ${value}`);
  const unit = { ms: 0.001, s: 1, m: 60, h: 3600 }[match[2] ?? 'ms']!;
  return Number(match[1]) * unit;
}

// ---- Dockerfile -----------------------------------------------------------------------------
const dockerfile = read('Dockerfile')
  .replace(/\\\n/g, ' ') // join continued lines
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line && !line.startsWith('#'));
const stages: string[][] = [];
for (const line of dockerfile) {
  if (/^FROM\s/i.test(line)) stages.push([]);
  stages.at(-1)?.push(line);
}
const finalStage = stages.at(-1) ?? [];

describe('Deployment files', () => {
  describe('docker-compose.yml', () => {
    it('runs two Quietline nodes with distinct QUIETLINE_NODE_ID values', () => {
      expect(nodeNames).to.have.members(['quietline-a', 'quietline-b']);
      const ids = nodeNames.map((name) => environmentOf(services[name]!).QUIETLINE_NODE_ID);
      for (const id of ids) expect(id, 'QUIETLINE_NODE_ID').to.be.a('string').and.not.equal('');
      expect(new Set(ids).size).to.equal(nodeNames.length);
    });

    it('points every node’s REDIS_URL at the redis service', () => {
      expect(services.redis, 'a service named redis').to.be.an('object');
      for (const name of nodeNames) {
        const url = new URL(environmentOf(services[name]!).REDIS_URL ?? '');
        expect(url.protocol, name).to.equal('redis:');
        expect(url.hostname, name).to.equal('redis');
      }
    });

    it('sets only environment variables that server/config/settings.ts defines', () => {
      for (const name of nodeNames) {
        const unknown = Object.keys(environmentOf(services[name]!)).filter((key) => !isSetting(key));
        expect(unknown, `${name}: not in settings.ts`).to.deep.equal([]);
      }
    });

    it('builds both nodes from the Dockerfile into one image', () => {
      for (const name of nodeNames) {
        expect(services[name]!.build, name).to.deep.equal({ context: '.', target: 'runtime' });
      }
      expect(new Set(nodeNames.map((name) => services[name]!.image)).size).to.equal(1);
    });

    it('keeps Redis off the host: no published port, only on an internal network', () => {
      const redis = services.redis!;
      expect(redis.ports ?? []).to.deep.equal([]);
      const networks = networksOf(redis);
      expect(networks).to.not.be.empty;
      for (const network of networks) expect(compose.networks?.[network]?.internal, network).to.equal(true);
    });

    it('persists Redis in an append-only file, flushed every second or on every write, and never evicts', () => {
      const redis = services.redis!;
      expect(redis.image).to.match(/^redis:7/);
      const command = Array.isArray(redis.command) ? redis.command.join(' ') : (redis.command ?? '');
      const config = mountedFile(redis, command.split(/\s+/).find((word) => word.endsWith('.conf')) ?? '');
      const setting = (name: string) => new RegExp(`^${name}\\s+(\\S+)`, 'm').exec(config)?.[1];
      expect(setting('appendonly')).to.equal('yes');
      expect(setting('appendfsync')).to.be.oneOf(['everysec', 'always']);
      expect(setting('maxmemory-policy')).to.equal('noeviction');
      expect(setting('save'), 'RDB snapshots off').to.equal('""');
      expect(mountsOf(redis).some((m) => m.target === '/data')).to.equal(true);
    });

    it('publishes exactly one port, the load balancer’s', () => {
      const published = Object.entries(services).flatMap(([name, service]) => (service.ports ?? []).map(() => name));
      expect(published).to.deep.equal(['lb']);
    });

    it('gives every node longer to stop than DRAIN_SECONDS', () => {
      for (const name of nodeNames) {
        const service = services[name]!;
        const drain = Number(environmentOf(service).DRAIN_SECONDS ?? 20);
        expect(seconds(service.stop_grace_period), name).to.be.above(drain);
      }
    });

    it('trusts exactly one proxy, the load balancer, for client addresses', () => {
      for (const name of nodeNames) expect(environmentOf(services[name]!).TRUST_PROXY_HOPS, name).to.equal('1');
    });

    it('runs every service with a read-only root filesystem, no capabilities and no new privileges', () => {
      for (const [name, service] of Object.entries(services)) {
        expect(service.read_only, name).to.equal(true);
        expect(service.cap_drop, name).to.deep.equal(['ALL']);
        expect(service.security_opt, name).to.include('no-new-privileges:true');
      }
    });

    it('mounts the nodes’ configuration read-only and never the organisation’s secret key', () => {
      for (const name of nodeNames) {
        const mounts = mountsOf(services[name]!);
        expect(mounts.map((m) => m.target)).to.include.members(['/etc/quietline/lines.json', '/etc/quietline/accounts']);
        for (const mount of mounts) {
          expect(mount.readOnly, `${name}: ${mount.target}`).to.equal(true);
          expect(mount.source, `${name}: ${mount.source}`).to.not.match(/secret|^\.\/config\/?$/);
        }
      }
    });
  });

  describe('deploy/haproxy.cfg', () => {
    it('sends traffic to nodes whose /readyz answers 200', () => {
      const backend = section(haproxy, `backend ${defaultBackend()}`);
      expect(backend).to.include('option httpchk');
      expect(backend.some((l) => /^http-check send meth GET uri \/readyz\b/.test(l))).to.equal(true);
      expect(backend).to.include('http-check expect status 200');
    });

    it('lists every node of the compose file as a checked server, on port 8080', () => {
      const servers = section(haproxy, `backend ${defaultBackend()}`).filter((l) => l.startsWith('server '));
      expect(servers.map((l) => l.split(/\s+/)[2])).to.have.members(nodeNames.map((name) => `${name}:8080`));
      for (const server of servers) expect(server.split(/\s+/)).to.include('check');
    });

    it('falls back to every live node (/healthz) only when no node is ready', () => {
      const frontend = section(haproxy, 'frontend http');
      const fallback = frontend.find((l) => l.startsWith('use_backend '))?.split(/\s+/) ?? [];
      expect(fallback.slice(2).join(' ')).to.equal(`if { nbsrv(${defaultBackend()}) eq 0 }`);
      const backend = section(haproxy, `backend ${fallback[1]}`);
      expect(backend.some((l) => /^http-check send meth GET uri \/healthz\b/.test(l))).to.equal(true);
    });

    it('keeps no session stickiness: any node serves any client', () => {
      expect(haproxy).to.not.match(/^\s*(cookie|stick|stick-table|hash-type)\b/m);
      expect(haproxy).to.not.match(/^\s*balance\s+(source|uri|url_param|hdr)/m);
    });

    it('keeps an idle WebSocket open well past the server’s 30-second ping', () => {
      const heartbeat = /const HEARTBEAT_MS = ([\d_]+);/.exec(read('server/http/socket-upgrades.ts'))?.[1];
      expect(heartbeat, 'HEARTBEAT_MS in server/http/socket-upgrades.ts').to.be.a('string');
      const tunnel = section(haproxy, 'defaults').find((l) => l.startsWith('timeout tunnel '))?.split(/\s+/)[2];
      expect(haproxySeconds(tunnel ?? '')).to.be.at.least((2 * Number(heartbeat!.replace(/_/g, ''))) / 1000);
    });

    it('appends the client address to X-Forwarded-For and writes no access log', () => {
      expect(section(haproxy, 'defaults')).to.include('option forwardfor');
      expect(haproxy).to.not.match(/^\s*option\s+(httplog|tcplog|log-health-checks)\b/m);
      expect(section(haproxy, 'frontend http').some((l) => l.startsWith('log '))).to.equal(false);
      expect(section(haproxy, 'defaults').some((l) => l.startsWith('log '))).to.equal(false);
    });
  });

  describe('Dockerfile', () => {
    it('builds in named stages (FROM … AS …)', () => {
      const named = dockerfile.filter((line) => /^FROM\s+\S+\s+AS\s+\S+$/i.test(line));
      expect(named.length).to.be.at.least(2);
      expect(finalStage[0]).to.match(/\sAS\s+runtime$/i);
    });

    it('runs the server as a user other than root', () => {
      const user = finalStage.filter((line) => /^USER\s/i.test(line)).at(-1)?.split(/\s+/)[1];
      expect(user, 'USER in the final stage').to.be.a('string');
      expect(user!.split(':')[0]).to.not.be.oneOf(['root', '0']);
    });

    it('checks /healthz with Node’s own fetch', () => {
      const check = finalStage.find((line) => /^HEALTHCHECK\s/i.test(line)) ?? '';
      expect(check).to.include('/healthz');
      expect(check).to.include('fetch(');
    });

    it('listens on 0.0.0.0:8080 and starts node itself, not npm', () => {
      const env = finalStage.filter((line) => /^ENV\s/i.test(line)).join(' ');
      expect(env).to.match(/\bHOST=0\.0\.0\.0\b/);
      expect(finalStage).to.include('EXPOSE 8080');
      const cmd = JSON.parse(finalStage.find((line) => /^CMD\s/i.test(line))!.slice(3).trim()) as string[];
      expect(cmd[0]).to.equal('node');
      expect(cmd).to.include('server/main.ts');
      expect(finalStage).to.include('STOPSIGNAL SIGTERM');
    });

    it('sets only settings that settings.ts defines, besides NODE_ENV and TSX_DISABLE_CACHE', () => {
      const names = dockerfile
        .filter((line) => /^ENV\s/i.test(line))
        .flatMap((line) => [...line.slice(3).matchAll(/([A-Z_][A-Z0-9_]*)=/g)].map((m) => m[1]!));
      const unknown = names.filter((name) => !isSetting(name) && name !== 'NODE_ENV' && name !== 'TSX_DISABLE_CACHE');
      expect(unknown).to.deep.equal([]);
    });

    it('bakes in no secret: no operators file, no secret key', () => {
      const copies = dockerfile.filter((line) => /^(COPY|ADD)\s/i.test(line)).join('\n');
      expect(copies).to.not.match(/operators\.json|\.secret|identity\.json/);
    });

    it('can run: tsx, which runs the server, is a runtime dependency in package.json', () => {
      const pkg = JSON.parse(read('package.json')) as { dependencies?: Record<string, string> };
      expect(pkg.dependencies ?? {}, 'move tsx from devDependencies to dependencies').to.have.property('tsx');
    });
  });

  describe('.dockerignore', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'));

    it('keeps installed modules, builds, git, secrets and accounts out of the build context', () => {
      expect(ignored).to.include.members([
        'node_modules/',
        'dist/',
        '.git/',
        'config/operators.json',
        'config/accounts/',
        '**/*.secret',
        '**/*.quietline-identity.json',
      ]);
    });

    it('leaves in what the build needs: the lines file and the organisation’s public key', () => {
      expect(existsSync(join(root, 'config/lines.json'))).to.equal(true);
      for (const pattern of ignored) expect(pattern).to.not.match(/^(config\/?|config\/\*|\*\.txt|\*\*\/\*\.txt|config\/org-public-key\.txt|\*\.json)$/);
    });
  });
});
