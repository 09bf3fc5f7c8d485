import { expect } from 'chai';
import { DEFAULT_LIMITS } from '../../server/abuse/limits.js';
import { relayLimits } from '../../server/config/build-app-config.js';
import { ConfigError } from '../../server/config/lines-config.js';
import { readSettings } from '../../server/config/settings.js';

const SETTINGS = {
  OPEN_CHATS_PER_ADDRESS: 'openChatsPerAddress',
  NEW_CHATS_PER_ADDRESS_PER_TEN_MINUTES: 'newChatsPer10Min',
  UPGRADES_PER_ADDRESS_PER_MINUTE: 'upgradesPerMinute',
  MESSAGES_PER_SOCKET_PER_TEN_SECONDS: 'messagesPerWindow',
} as const;

describe('Limits per address, from the settings', () => {
  it('defaults to the relay limits, so a server started without them behaves as the tests do', () => {
    expect(relayLimits(readSettings({}))).to.deep.equal({
      openChatsPerAddress: DEFAULT_LIMITS.openChatsPerAddress,
      newChatsPer10Min: DEFAULT_LIMITS.newChatsPer10Min,
      upgradesPerMinute: DEFAULT_LIMITS.upgradesPerMinute,
      messagesPerWindow: DEFAULT_LIMITS.messagesPerWindow,
    });
  });

  it('lets a shelter or school of 20 people behind one address chat at once, each with a chat left over from a drop', () => {
    const limits = relayLimits(readSettings({}));
    expect(limits.openChatsPerAddress).to.be.at.least(2 * 20);
    // Each may start two or three chats in ten minutes (a closed line, a wrong topic, a restart).
    expect(limits.newChatsPer10Min).to.be.at.least(2.5 * 40);
    // Their widgets may reconnect several times each in a minute of patchy Wi-Fi.
    expect(limits.upgradesPerMinute).to.be.at.least(6 * 40);
  });

  for (const [name, field] of Object.entries(SETTINGS)) {
    it(`reads ${name} as a whole number`, () => {
      expect(relayLimits(readSettings({ [name]: '250' }))[field]).to.equal(250);
    });

    for (const bad of ['0', '-5', '2.5', '1e3', '', 'many', ' 40']) {
      it(`stops with a ConfigError naming ${name} for "${bad}"`, () => {
        expect(() => readSettings({ [name]: bad })).to.throw(ConfigError, new RegExp(`^environment: ${name}: `));
      });
    }
  }

  it('changes only the limit it names', () => {
    expect(relayLimits(readSettings({ OPEN_CHATS_PER_ADDRESS: '100' }))).to.deep.include({
      openChatsPerAddress: 100,
      newChatsPer10Min: DEFAULT_LIMITS.newChatsPer10Min,
    });
  });
});
