import { expect } from 'chai';
import { MessageBudget } from '../../../server/relay/message-budget.js';

describe('The message budget of one connection', () => {
  let now = 0;
  const budget = () => new MessageBudget(3, 10_000, () => now);

  it('refuses past the budget, disconnects past three times it, and starts afresh with the next window', async () => {
    now = 0;
    const b = budget();
    const key = b.connectionKey();
    const verdicts = [];
    for (let i = 0; i < 10; i++) verdicts.push(await b.spend(key));
    expect(verdicts).to.deep.equal(['ok', 'ok', 'ok', 'refuse', 'refuse', 'refuse', 'refuse', 'refuse', 'refuse', 'disconnect']);
    now = 10_000;
    expect(await b.spend(key)).to.equal('ok');
  });

  it('counts typing apart from messages, and each connection apart', async () => {
    now = 0;
    const b = budget();
    const [one, two] = [b.connectionKey(), b.connectionKey()];
    for (let i = 0; i < 3; i++) await b.spend(one, 'typing');
    expect(await b.spend(one, 'typing')).to.equal('refuse');
    expect(await b.spend(one, 'other')).to.equal('ok');
    for (let i = 0; i < 3; i++) await b.spend(one);
    expect(await b.spend(one)).to.equal('refuse');
    expect(await b.spend(two)).to.equal('ok');
    b.forget(one);
    expect(await b.spend(one)).to.equal('ok');
  });
});
