import { expect } from 'chai';
import type { Browser, BrowserContext, Locator, Page, Request, Route } from 'playwright-core';
import { ERRORS, type ErrorCode } from '../../protocol/errors.js';
import type { OperatorProfile } from '../../protocol/operator-messages.js';
import { startTestServer, type TestOperator, type TestServer } from '../support/test-server.js';
import { DESKTOP, expectNoViolations, PHONE } from './axe.js';
import { launchChromium, linesWithEnglish, OPERATOR_1712, signInOperator } from './browser.js';

/**
 * The admin's operator accounts in the console. The console talks to a real test server
 * (sign-in, the welcome with its role, the lines), but the test answers `/api/accounts*`
 * itself from a list of its own: what the console sends is then exactly what is checked,
 * whatever the server's account routes do.
 */

const ADMIN: TestOperator = { id: 'op-admin', name: 'Ada', role: 'admin', lines: ['1712'], languages: ['nl', 'en'], topics: ['violence'] };
const SUPERVISOR: TestOperator = { id: 'op-super', name: 'Lena', role: 'supervisor', lines: ['108'], languages: ['de'], topics: ['family-violence'] };

const profile = (o: TestOperator): OperatorProfile => ({
  id: o.id, name: o.name ?? o.id, role: o.role ?? 'operator', lines: o.lines, languages: o.languages, topics: o.topics, capacity: o.capacity ?? 3,
});

interface Sent {
  method: string;
  path: string;
  body: unknown;
}

/** `/api/accounts*` answered from a list in the test, every request kept in `sent`. */
class FakeAccounts {
  readonly sent: Sent[] = [];
  /** The next request is refused with this code, whatever it asks. */
  refuseNext: ErrorCode | null = null;
  accounts: OperatorProfile[] = [profile(ADMIN), profile({ ...OPERATOR_1712, role: 'operator' }), profile(SUPERVISOR)];

  async install(context: BrowserContext): Promise<void> {
    await context.route(/\/api\/accounts(\/|$)/, (route) => this.answer(route));
  }

  requests(method: string): Sent[] {
    return this.sent.filter((s) => s.method === method);
  }

  private async answer(route: Route): Promise<void> {
    const request = route.request();
    const path = new URL(request.url()).pathname;
    const body: unknown = request.postData() ? request.postDataJSON() : null;
    this.sent.push({ method: request.method(), path, body });
    const [, , , id, password] = path.split('/').map(decodeURIComponent);
    const json = (status: number, value: unknown) => route.fulfill({ status, contentType: 'application/json', body: JSON.stringify(value) });
    const error = (code: ErrorCode) => json(ERRORS[code].status, { error: { code, message: ERRORS[code].message } });
    const found = this.accounts.find((a) => a.id === id);
    const refused = this.refuseNext;
    this.refuseNext = null;
    if (refused) return error(refused);
    switch (request.method()) {
      case 'GET':
        return json(200, { accounts: this.accounts });
      case 'POST': {
        const { password: _password, ...account } = body as OperatorProfile & { password: string };
        if (this.accounts.some((a) => a.id === account.id)) return error('ERR_ACCOUNT_EXISTS');
        this.accounts.push(account);
        return json(201, { account });
      }
      case 'PUT':
        if (!found) return error('ERR_NOT_FOUND');
        if (password === 'password') return route.fulfill({ status: 204 });
        Object.assign(found, body);
        return json(200, { account: found });
      case 'DELETE':
        if (!found) return error('ERR_NOT_FOUND');
        this.accounts = this.accounts.filter((a) => a !== found);
        return route.fulfill({ status: 204 });
      default:
        return error('ERR_BAD_REQUEST');
    }
  }
}

const section = (page: Page) => page.getByRole('region', { name: 'Operator accounts' });
const table = (page: Page) => page.getByRole('table', { name: 'Everyone who may sign in' });
const dialog = (page: Page) => page.getByRole('dialog');
/** A row's cells as a screen reader has them (the stacked layout's labels are hidden). */
const rowCells = (page: Page, name: string) =>
  page.locator('table.account-table tbody tr').filter({ has: page.locator('th', { hasText: name }) }).locator('th .cell-value, td .cell-value').allTextContents();
const focusedName = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent ?? '');
/** What a control or group is described by (its hint, its problem), in order. */
const describedBy = (target: Locator) =>
  target.evaluate((el) => (el.getAttribute('aria-describedby') ?? '').split(' ').map((id) => document.getElementById(id)?.textContent ?? ''));
const isRequest = (method: string, path: string) => (r: Request) => r.method() === method && new URL(r.url()).pathname === path;

describe('Browser: the admin\'s operator accounts in the console', () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let fake: FakeAccounts;

  before(async () => {
    server = await startTestServer({ operators: [ADMIN, OPERATOR_1712, SUPERVISOR], config: { lines: await linesWithEnglish() } });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });
  afterEach(async () => {
    await context?.close();
  });

  /** A console signed in as `id`. bypassCSP only so axe can be injected. */
  async function openConsole(id: string, viewport = DESKTOP): Promise<void> {
    context = await browser.newContext({ bypassCSP: true, viewport, locale: 'en-GB', timezoneId: 'Europe/Brussels' });
    context.setDefaultTimeout(10_000);
    fake = new FakeAccounts();
    await fake.install(context);
    page = await context.newPage();
    await signInOperator(page, server, id);
  }

  async function openAsAdmin(viewport = DESKTOP): Promise<void> {
    await openConsole(ADMIN.id, viewport);
    await table(page).locator('tbody tr').nth(2).waitFor();
  }

  it('[AC1] shows the admin every account in a table, with a caption, column headers and a header per row', async () => {
    await openAsAdmin();
    const headers = await table(page).locator('thead th[scope="col"]').allTextContents();
    expect(headers).to.deep.equal(['Name', 'Operator ID', 'Role', 'Lines', 'Languages', 'Topics', 'Chats at once', 'Actions']);
    expect(await table(page).locator('tbody th[scope="row"]').count()).to.equal(3);
    expect(await rowCells(page, 'Ada')).to.deep.equal(['Ada (you)', 'op-admin', 'Admin', '1712', 'Dutch, English', 'Violence', '3']);
    expect(await rowCells(page, 'Sam')).to.deep.equal(['Sam', 'op-1712', 'Operator', '1712', 'Dutch, English', 'Violence, Abuse, Child abuse', '3']);
    expect(await rowCells(page, 'Lena')).to.deep.equal(['Lena', 'op-super', 'Supervisor', '108', 'German', 'Family violence', '3']);
    // Each button says whose account it acts on; the admin's own row cannot be removed.
    await section(page).getByRole('button', { name: 'Remove Sam' }).waitFor();
    await section(page).getByRole('button', { name: 'Reset password for Lena' }).waitFor();
    await section(page).getByRole('button', { name: 'Edit Ada' }).waitFor();
    expect(await section(page).getByRole('button', { name: 'Remove Ada' }).count()).to.equal(0);
    // The box the table scrolls in is reachable and named.
    const box = page.getByRole('region', { name: 'Everyone who may sign in' });
    expect(await box.getAttribute('tabindex')).to.equal('0');
    expect(fake.requests('GET').map((s) => s.path)).to.deep.equal(['/api/accounts']);

    // Another interface language: the same rows in its words.
    await page.getByLabel('Language', { exact: true }).selectOption('nl');
    await page.getByRole('table', { name: 'Iedereen die zich mag aanmelden' }).waitFor();
    expect((await rowCells(page, 'Sam')).slice(2, 6)).to.deep.equal(['Medewerker', '1712', 'Nederlands, Engels', 'Geweld, Misbruik, Kindermishandeling']);
  });

  it('[AC2] adding an operator sends exactly the fields typed and shows the new row', async () => {
    await openAsAdmin();
    const add = section(page).getByRole('button', { name: 'Add an operator' });
    await add.click();
    const form = dialog(page);
    await form.getByRole('heading', { name: 'Add an operator' }).waitFor();
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name)).to.equal('id');
    expect(await form.getByLabel('Chats at once').inputValue()).to.equal('3');
    // Languages by their own names, topics and lines from the lines file, in groups.
    expect(await form.getByRole('group', { name: 'Languages' }).getByRole('checkbox').evaluateAll((boxes) =>
      boxes.map((b) => (b as HTMLInputElement).labels?.[0]?.textContent))).to.deep.equal(['Nederlands', 'English', 'Français', 'Deutsch']);
    expect(await form.getByRole('group', { name: 'Lines' }).getByRole('checkbox').count()).to.equal(6);

    await form.getByLabel('Operator ID').fill('op-mia');
    await form.getByLabel('Display name').fill('  Mia  ');
    await form.getByLabel('Role').selectOption({ label: 'Supervisor' });
    await form.getByRole('group', { name: 'Lines' }).getByLabel('108').check();
    await form.getByRole('group', { name: 'Lines' }).getByLabel('Stop It Now!').check();
    await form.getByRole('group', { name: 'Languages' }).getByLabel('Deutsch').check();
    await form.getByRole('group', { name: 'Languages' }).getByLabel('Français').check();
    await form.getByRole('group', { name: 'Topics' }).getByLabel('Family violence').check();
    await form.getByLabel('Chats at once').fill('2');
    const password = form.getByLabel('Initial password');
    expect(await password.getAttribute('type')).to.equal('password');
    expect(await password.getAttribute('autocomplete')).to.equal('new-password');
    await password.fill('a long enough passphrase');
    const posted = page.waitForRequest(isRequest('POST', '/api/accounts'));
    await form.getByRole('button', { name: 'Add operator' }).click();
    expect((await posted).postDataJSON()).to.deep.equal({
      id: 'op-mia', name: 'Mia', role: 'supervisor', lines: ['stop-it-now', '108'], languages: ['fr', 'de'], topics: ['family-violence'],
      capacity: 2, password: 'a long enough passphrase',
    });

    await section(page).getByRole('status').getByText('Mia was added.').waitFor();
    expect(await rowCells(page, 'Mia')).to.deep.equal(['Mia', 'op-mia', 'Supervisor', 'Stop It Now!, 108', 'French, German', 'Family violence', '2']);
    expect(await dialog(page).count()).to.equal(0);
    expect(await focusedName(page)).to.equal('Add an operator');
    // The list was read again after the change.
    expect(fake.requests('GET')).to.have.length(2);
  });

  it('[AC3] the form refuses missing choices and a short password before sending, and says ERR_ACCOUNT_EXISTS from the server', async () => {
    await openAsAdmin();
    await section(page).getByRole('button', { name: 'Add an operator' }).click();
    const form = dialog(page);
    // Nothing filled in: every problem beside its field, the count in the alert, focus on the first.
    await form.getByRole('button', { name: 'Add operator' }).click();
    await form.getByRole('alert').getByText('6 fields need changing: see the message beside each.').waitFor();
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name)).to.equal('id');
    const id = form.getByLabel('Operator ID');
    expect(await id.getAttribute('aria-invalid')).to.equal('true');
    expect(await describedBy(id)).to.deep.equal(['Letters, digits, - and _ only. It is used to sign in and cannot be changed later.', 'Enter an operator ID of letters, digits, - and _ only.']);
    const lines = form.getByRole('group', { name: 'Lines' });
    expect(await describedBy(lines)).to.deep.equal(['Choose at least one line.']);

    await id.fill('op-1712');
    await form.getByLabel('Display name').fill('Sam again');
    await lines.getByLabel('1712').check();
    await form.getByRole('group', { name: 'Languages' }).getByLabel('Nederlands').check();
    await form.getByRole('group', { name: 'Topics' }).getByLabel('Violence', { exact: true }).check();
    const password = form.getByLabel('Initial password');
    await password.fill('too short');
    await form.getByRole('button', { name: 'Add operator' }).click();
    await form.getByRole('alert').getByText('1 field needs changing: see the message beside it.').waitFor();
    expect((await describedBy(password))[1]).to.equal('The password needs at least 12 characters.');
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name)).to.equal('password');
    expect(await describedBy(lines)).to.deep.equal(['']);
    expect(fake.requests('POST')).to.deep.equal([]);

    // Long enough: sent, and the server says the id is taken — beside the id, focus there.
    await password.fill('correct horse battery staple');
    const posted = page.waitForRequest(isRequest('POST', '/api/accounts'));
    await form.getByRole('button', { name: 'Add operator' }).click();
    await posted;
    await form.getByText('An account with this operator ID exists already. Choose another ID.').waitFor();
    expect((await describedBy(id))[1]).to.equal('An account with this operator ID exists already. Choose another ID.');
    expect(await id.getAttribute('aria-invalid')).to.equal('true');
    expect(await form.getByRole('alert').textContent()).to.equal('1 field needs changing: see the message beside it.');
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name)).to.equal('id');
    expect(await rowCells(page, 'Sam')).to.have.length(7);
    expect(await table(page).locator('tbody tr').count()).to.equal(3);

    // Escape closes the dialog and gives focus back to the button that opened it.
    await page.keyboard.press('Escape');
    await dialog(page).waitFor({ state: 'detached' });
    expect(await focusedName(page)).to.equal('Add an operator');
  });

  it('[AC4] editing the capacity sends a PUT with every field of the account', async () => {
    await openAsAdmin();
    await section(page).getByRole('button', { name: 'Edit Sam' }).click();
    const form = dialog(page);
    await form.getByRole('heading', { name: 'Edit Sam' }).waitFor();
    // An id is fixed once made, and a password is reset apart.
    expect(await form.getByLabel('Operator ID').count()).to.equal(0);
    expect(await form.getByLabel('Initial password').count()).to.equal(0);
    expect(await form.getByRole('group', { name: 'Topics' }).getByRole('checkbox', { checked: true }).count()).to.equal(3);
    await form.getByLabel('Chats at once').fill('5');
    const put = page.waitForRequest(isRequest('PUT', '/api/accounts/op-1712'));
    await form.getByRole('button', { name: 'Save changes' }).click();
    expect((await put).postDataJSON()).to.deep.equal({
      name: 'Sam', role: 'operator', lines: ['1712'], languages: ['nl', 'en'], topics: ['violence', 'abuse', 'child-abuse'], capacity: 5,
    });
    await section(page).getByRole('status').getByText('The changes to Sam were saved.').waitFor();
    expect((await rowCells(page, 'Sam'))[6]).to.equal('5');
    expect(await focusedName(page)).to.equal('Edit Sam');
  });

  it('[AC5] the admin cannot take away their own admin role: the form says so and sends nothing', async () => {
    await openAsAdmin();
    await section(page).getByRole('button', { name: 'Edit Ada' }).click();
    const form = dialog(page);
    await form.getByLabel('Role').selectOption('operator');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await form.getByText('You cannot remove your own account or take away your own admin role.').waitFor();
    expect((await describedBy(form.getByLabel('Role')))).to.deep.equal(['You cannot remove your own account or take away your own admin role.']);
    expect(await form.getByLabel('Role').getAttribute('aria-invalid')).to.equal('true');
    expect(await page.evaluate(() => (document.activeElement as HTMLSelectElement | null)?.name)).to.equal('role');
    expect(fake.requests('PUT')).to.deep.equal([]);
  });

  it('[AC6] resetting a password sends PUT …/password with the new password only', async () => {
    await openAsAdmin();
    await section(page).getByRole('button', { name: 'Reset password for Sam' }).click();
    const form = dialog(page);
    await form.getByRole('heading', { name: 'Reset password for Sam' }).waitFor();
    const field = form.getByLabel('New password');
    expect(await field.getAttribute('autocomplete')).to.equal('new-password');
    await field.fill('short');
    await form.getByRole('button', { name: 'Set new password' }).click();
    await form.getByRole('alert').getByText('The password needs at least 12 characters.').waitFor();
    expect(fake.requests('PUT')).to.deep.equal([]);

    await field.fill('a brand new passphrase');
    const put = page.waitForRequest(isRequest('PUT', '/api/accounts/op-1712/password'));
    await form.getByRole('button', { name: 'Set new password' }).click();
    expect((await put).postDataJSON()).to.deep.equal({ password: 'a brand new passphrase' });
    await section(page).getByRole('status').getByText('The password of Sam was changed.').waitFor();
    expect(await focusedName(page)).to.equal('Reset password for Sam');
  });

  it('[AC7] removing asks first, naming the person and saying their consoles close, then sends DELETE', async () => {
    await openAsAdmin();
    const remove = section(page).getByRole('button', { name: 'Remove Sam' });
    await remove.click();
    const confirm = dialog(page);
    await confirm.getByRole('heading', { name: 'Remove Sam?' }).waitFor();
    await confirm.getByText('Sam (op-1712) will no longer be able to sign in, and every console Sam has open closes at once.', { exact: false }).waitFor();
    // Focus starts on keeping the account; keeping it sends nothing and returns focus.
    expect(await focusedName(page)).to.equal('Keep the account');
    await page.keyboard.press('Enter');
    await dialog(page).waitFor({ state: 'detached' });
    expect(await focusedName(page)).to.equal('Remove Sam');
    expect(fake.requests('DELETE')).to.deep.equal([]);

    await remove.click();
    const deleted = page.waitForRequest(isRequest('DELETE', '/api/accounts/op-1712'));
    await dialog(page).getByRole('button', { name: 'Remove Sam' }).click();
    await deleted;
    await section(page).getByRole('status').getByText('Sam was removed.').waitFor();
    expect(await table(page).locator('tbody th').allTextContents()).to.deep.equal(['Ada (you)', 'Lena']);
    expect(await page.evaluate(() => document.activeElement?.id)).to.equal('accounts-heading');
  });

  it('[AC8] a session that ran out during a change goes back to the sign-in form and says why', async () => {
    await openAsAdmin();
    await section(page).getByRole('button', { name: 'Edit Lena' }).click();
    fake.refuseNext = 'ERR_SESSION_EXPIRED';
    await dialog(page).getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('alert').getByText('Your session has expired. Please sign in again.').waitFor();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(await dialog(page).count()).to.equal(0);
    expect(await section(page).count()).to.equal(0);
  });

  it('[AC9] is not there for an operator or a supervisor, who never ask for the accounts', async () => {
    for (const id of [OPERATOR_1712.id, SUPERVISOR.id]) {
      await openConsole(id);
      await page.getByRole('heading', { name: 'Your chats' }).waitFor();
      if (id === SUPERVISOR.id) await page.getByRole('region', { name: 'Supervision' }).waitFor();
      expect(await section(page).count(), id).to.equal(0);
      expect(await page.locator('.accounts').isHidden(), id).to.equal(true);
      expect(fake.sent, id).to.deep.equal([]);
      await context.close();
    }
  });

  it('[AC10] has no axe violations on a desktop and at phone width, with the list and with each dialog open', async () => {
    for (const [viewport, where] of [[DESKTOP, 'desktop'], [{ width: 390, height: 844 }, '390 px'], [PHONE, '320 px']] as const) {
      await openAsAdmin(viewport);
      await expectNoViolations(page, `the accounts at ${where}`);
      await section(page).getByRole('button', { name: 'Add an operator' }).click();
      await dialog(page).getByRole('button', { name: 'Add operator' }).click();
      await dialog(page).getByRole('alert').getByText(/fields need changing/).waitFor();
      await expectNoViolations(page, `the add form with its problems at ${where}`);
      await page.keyboard.press('Escape');
      await section(page).getByRole('button', { name: 'Remove Lena' }).click();
      await dialog(page).getByRole('heading', { name: 'Remove Lena?' }).waitFor();
      await expectNoViolations(page, `the removal dialog at ${where}`);
      await context.close();
    }
  });
});
