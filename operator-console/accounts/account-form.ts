import {
  MAX_CAPACITY,
  MAX_NAME_LENGTH,
  MAX_PASSWORD_LENGTH,
  MIN_PASSWORD_LENGTH,
  roleSchema,
  type AccountFields,
  type NewAccountRequest,
} from '../../protocol/accounts.js';
import type { ErrorCode } from '../../protocol/errors.js';
import { idSchema, type OperatorId } from '../../protocol/ids.js';
import { LIMITS } from '../../protocol/limits.js';
import type { OperatorProfile } from '../../protocol/operator-messages.js';
import { h } from '../../browser-shared/dom.js';
import { labelFor, live, t } from '../i18n.js';
import { CheckboxGroup } from './checkbox-group.js';
import { languageAutonym } from '../../browser-shared/language-names.js';
import { ROLES, roleName, withHeld, type Choices } from './choices.js';
import { formField, whilePending, type FormField } from './form-field.js';

export type AccountSubmission = { kind: 'new'; request: NewAccountRequest } | { kind: 'edit'; id: OperatorId; fields: AccountFields };

/** What the server answered: null when the change was made. */
export type SubmitOutcome = ErrorCode | 'network' | null;

export interface AccountFormOptions {
  choices: Choices;
  lineName(id: string): string;
  /** The account to edit; null makes a new one (with an id and an initial password). */
  account: OperatorProfile | null;
  /** The signed-in admin, who may not take away their own admin role. */
  ownId: OperatorId;
  submit(submission: AccountSubmission): Promise<SubmitOutcome>;
  cancel(): void;
}

type Field = 'id' | 'name' | 'role' | 'lines' | 'languages' | 'topics' | 'capacity' | 'password';
type Problem = { field: Field; text: string };

const DEFAULT_CAPACITY = 3;
/** Server answers that belong to one field: said there as well as in the form's alert. */
const FIELD_OF: Partial<Record<ErrorCode, Field>> = { ERR_ACCOUNT_EXISTS: 'id', ERR_WEAK_PASSWORD: 'password', ERR_OWN_ACCOUNT: 'role' };

/**
 * The account form, for a new account or an existing one: everything is checked here before
 * it is sent (the server checks again), each problem is said beside its field (the field is
 * described by it), the form's alert says how many there are, and focus goes to the first.
 * A server answer that belongs to a field (the id is taken) is shown the same way.
 */
export class AccountForm {
  readonly el: HTMLFormElement;
  /** Where focus starts when the form is shown. */
  readonly first: HTMLElement;
  private readonly id: FormField<HTMLInputElement> | null;
  private readonly name: FormField<HTMLInputElement>;
  private readonly role: FormField<HTMLSelectElement>;
  private readonly lines: CheckboxGroup;
  private readonly languages: CheckboxGroup;
  private readonly topics: CheckboxGroup;
  private readonly capacity: FormField<HTMLInputElement>;
  private readonly password: FormField<HTMLInputElement> | null;
  private readonly alert = h('p', { class: 'form-error', role: 'alert' });
  private readonly submitButton: HTMLButtonElement;
  /** Every field by name, for its error line and focus; null where this form has none. */
  private readonly fields: Record<Field, Target | null>;

  constructor(private readonly options: AccountFormOptions) {
    const { account, choices } = options;
    const k = (key: string) => () => t(`accounts.form.${key}`);
    this.id = account ? null : formField(k('id'),
      h('input', { name: 'id', autocomplete: 'off', spellcheck: 'false', autocapitalize: 'none', maxlength: LIMITS.maxIdChars, required: true }),
      k('idHint'));
    this.name = formField(k('name'), h('input', { name: 'name', autocomplete: 'off', maxlength: MAX_NAME_LENGTH, required: true }));
    this.name.input.value = account?.name ?? '';
    this.role = formField(k('role'), h('select', { name: 'role' },
      ROLES.map((r) => h('option', { value: r, selected: r === (account?.role ?? 'operator') }, live(() => roleName(r))))));
    this.lines = new CheckboxGroup(k('lines'), 'lines',
      withHeld(choices.lines.map((l) => l.id), account?.lines ?? []).map((id) => ({ value: id, label: () => options.lineName(id) })),
      account?.lines ?? []);
    this.languages = new CheckboxGroup(k('languages'), 'languages',
      withHeld(choices.languages, account?.languages ?? []).map((code) => ({ value: code, label: () => languageAutonym(code), lang: code })),
      account?.languages ?? []);
    this.topics = new CheckboxGroup(k('topics'), 'topics',
      withHeld(choices.topics, account?.topics ?? []).map((id) => ({ value: id, label: () => labelFor('topics', id) })),
      account?.topics ?? []);
    this.capacity = formField(k('capacity'),
      h('input', { name: 'capacity', type: 'number', inputmode: 'numeric', min: 1, max: MAX_CAPACITY, step: 1, required: true }),
      () => t('accounts.form.capacityHint', { max: MAX_CAPACITY }));
    this.capacity.input.value = String(account?.capacity ?? DEFAULT_CAPACITY);
    this.password = account ? null : formField(k('password'),
      h('input', { name: 'password', type: 'password', autocomplete: 'new-password', minlength: MIN_PASSWORD_LENGTH, maxlength: MAX_PASSWORD_LENGTH, required: true }),
      () => t('accounts.form.passwordHint', { min: MIN_PASSWORD_LENGTH }));
    for (const f of [this.id, this.name, this.role, this.capacity, this.password]) f?.input.addEventListener('input', () => f.setError(''));

    this.submitButton = h('button', { type: 'submit', class: 'primary' }, live(k(account ? 'save' : 'create')));
    this.el = h('form', { class: 'account-form', novalidate: true },
      this.id?.el,
      this.name.el,
      this.role.el,
      this.lines.el,
      this.languages.el,
      this.topics.el,
      this.capacity.el,
      this.password?.el,
      this.alert,
      h('div', { class: 'actions' },
        this.submitButton,
        h('button', { type: 'button', class: 'secondary', onclick: () => options.cancel() }, live(k('cancel')))),
    );
    this.el.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.send();
    });
    this.first = (this.id ?? this.name).input;
    this.fields = {
      id: target(this.id),
      name: target(this.name),
      role: target(this.role),
      lines: this.lines,
      languages: this.languages,
      topics: this.topics,
      capacity: target(this.capacity),
      password: target(this.password),
    };
  }

  private async send(): Promise<void> {
    if (this.submitButton.getAttribute('aria-disabled') === 'true') return;
    const problems = this.check();
    this.show(problems);
    if (problems.length > 0) return;
    const outcome = await whilePending(this.submitButton, () => this.options.submit(this.read()));
    if (outcome === null) return;
    const text = outcome === 'network' ? t('accounts.problems.network') : t(`errors.${outcome}`);
    const field = outcome === 'network' ? undefined : FIELD_OF[outcome];
    if (field) {
      this.show([{ field, text }]);
    } else {
      this.alert.textContent = text;
    }
    if (field === 'password' && this.password) this.password.input.value = '';
  }

  private read(): AccountSubmission {
    const fields: AccountFields = {
      name: this.name.input.value.trim(),
      role: roleSchema.parse(this.role.input.value),
      lines: this.lines.values,
      languages: this.languages.values,
      topics: this.topics.values,
      capacity: this.capacity.input.valueAsNumber,
    };
    if (this.options.account) return { kind: 'edit', id: this.options.account.id, fields };
    return { kind: 'new', request: { id: this.id?.input.value.trim() ?? '', ...fields, password: this.password?.input.value ?? '' } };
  }

  private check(): Problem[] {
    const p = (field: Field, key: string, values?: Record<string, number>): Problem => ({ field, text: t(`accounts.problems.${key}`, values) });
    const capacity = this.capacity.input.valueAsNumber;
    const own = this.options.account?.id === this.options.ownId;
    const skilled = this.role.input.value === 'operator';
    return [
      this.id && !idSchema.safeParse(this.id.input.value.trim()).success ? p('id', 'id') : null,
      this.name.input.value.trim() === '' ? p('name', 'name') : null,
      own && this.role.input.value !== 'admin' ? { field: 'role' as const, text: t('errors.ERR_OWN_ACCOUNT') } : null,
      // An operator takes chats, so needs something to take; a supervisor or admin may not.
      skilled && this.lines.values.length === 0 ? p('lines', 'lines') : null,
      skilled && this.languages.values.length === 0 ? p('languages', 'languages') : null,
      skilled && this.topics.values.length === 0 ? p('topics', 'topics') : null,
      !Number.isInteger(capacity) || capacity < 1 || capacity > MAX_CAPACITY ? p('capacity', 'capacity', { max: MAX_CAPACITY }) : null,
      this.password && this.password.input.value.length < MIN_PASSWORD_LENGTH ? p('password', 'password', { min: MIN_PASSWORD_LENGTH }) : null,
    ].filter((problem): problem is Problem => problem !== null);
  }

  /** Each problem beside its field; the alert says it (or how many), focus goes to the first. */
  private show(problems: readonly Problem[]): void {
    for (const [field, target] of Object.entries(this.fields) as Array<[Field, Target | null]>) {
      target?.setError(problems.find((q) => q.field === field)?.text ?? '');
    }
    // The alert counts them rather than repeating a message that is right beside its field.
    const [first] = problems;
    this.alert.textContent = first ? t('accounts.problems.several', { count: problems.length }) : '';
    if (first) this.fields[first.field]?.focus();
  }
}

/** A field or group as the checks see it. */
interface Target {
  setError(text: string): void;
  focus(): void;
}

function target(field: FormField<HTMLInputElement | HTMLSelectElement> | null): Target | null {
  return field && { setError: (text) => field.setError(text), focus: () => field.input.focus() };
}
