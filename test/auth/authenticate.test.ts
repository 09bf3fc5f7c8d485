import { expect } from 'chai';
import { authenticate } from '../../server/auth/authenticate.js';
import type { OperatorAccount } from '../../server/accounts/account.js';
import type { OperatorDirectory } from '../../server/accounts/directory.js';
import { Sessions } from '../../server/auth/sessions.js';
import { ManualClock } from '../../server/clock.js';
import { MemoryStore } from '../../server/store/memory-store.js';

const account = (passwordHash: string): OperatorAccount => ({
  id: 'anna',
  name: 'Anna',
  role: 'operator',
  lines: ['1712'],
  languages: ['nl'],
  topics: ['violence'],
  capacity: 3,
  passwordHash,
});
const FIRST = 'scrypt$1024$8$1$c2FsdHNhbHRzYWx0c2FsdA$Zmlyc3RmaXJzdGZpcnN0Zmlyc3RmaXJzdGZpcnN0Zmk';
const SECOND = 'scrypt$1024$8$1$c2FsdHNhbHRzYWx0c2FsdA$c2Vjb25kc2Vjb25kc2Vjb25kc2Vjb25kc2Vjb25kc2U';

describe('authenticate (a session checked against the accounts as they are now)', () => {
  let accounts: Map<string, OperatorAccount>;
  let sessions: Sessions;
  const directory: OperatorDirectory = { find: async (id) => accounts.get(id) };

  beforeEach(async () => {
    const clock = new ManualClock();
    const store = new MemoryStore(clock);
    await store.init();
    sessions = new Sessions(store, clock, { idleMs: 30 * 60_000, absoluteMs: 12 * 3600_000 });
    accounts = new Map([['anna', account(FIRST)]]);
  });

  it('recognises the operator who signed in', async () => {
    const token = await sessions.create('anna', FIRST);
    const auth = await authenticate(sessions, directory, token);
    expect(auth.ok && auth.account.id).to.equal('anna');
  });

  it('asks to sign in when there is no cookie', async () => {
    expect(await authenticate(sessions, directory, undefined)).to.deep.equal({ ok: false, code: 'ERR_UNAUTHENTICATED' });
  });

  it('ends the session when the password is changed', async () => {
    const token = await sessions.create('anna', FIRST);
    accounts.set('anna', account(SECOND));
    expect(await authenticate(sessions, directory, token)).to.deep.equal({ ok: false, code: 'ERR_SESSION_EXPIRED' });
    accounts.set('anna', account(FIRST));
    expect((await authenticate(sessions, directory, token)).ok, 'the session is gone, not suspended').to.equal(false);
  });

  it('ends the session when the account is removed', async () => {
    const token = await sessions.create('anna', FIRST);
    accounts.delete('anna');
    expect(await authenticate(sessions, directory, token)).to.deep.equal({ ok: false, code: 'ERR_SESSION_EXPIRED' });
  });
});
