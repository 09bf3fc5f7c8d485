import { expect } from 'chai';
import { ConfigError } from '../../server/config/lines-config.js';
import { runMode } from '../../server/config/run-mode.js';

describe('runMode (demo or real accounts)', () => {
  const base = { demo: undefined, operatorsPathSet: false, operatorsPath: 'config/operators.json', operatorsFileExists: false };

  it('runs the demo on a fresh clone: nothing set, no operators file', () => {
    expect(runMode(base)).to.equal('demo');
  });

  it('uses the operators file once it exists', () => {
    expect(runMode({ ...base, operatorsFileExists: true })).to.equal('configured');
    expect(runMode({ ...base, operatorsPathSet: true, operatorsFileExists: true })).to.equal('configured');
  });

  it('refuses to fall back to the demo when a named operators file is missing', () => {
    expect(() => runMode({ ...base, operatorsPathSet: true, operatorsPath: '/etc/quietline/operator.json' }))
      .to.throw(ConfigError, /QUIETLINE_OPERATORS: no operators file at \/etc\/quietline\/operator\.json/);
  });

  it('runs the demo when asked, and never when forbidden', () => {
    expect(runMode({ ...base, demo: true, operatorsFileExists: true })).to.equal('demo');
    expect(() => runMode({ ...base, demo: false })).to.throw(ConfigError);
  });
});
