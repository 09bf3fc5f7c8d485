import type { LinesResponse, PublicLine } from '../../../protocol/http.js';
import { h, uid } from '../../../browser-shared/dom.js';
import { t, topicLabel, uiLanguage } from '../i18n.js';
import { languageAutonym, languageName } from '../../../browser-shared/language-names.js';
import type { ChatRequest } from '../chat-session.js';
import { contactsSection } from './contacts.js';

export interface StartChoice {
  language: string | null;
  topic: string | null;
}

/**
 * The chat's language and topic, then "Start chat". Nothing goes to the server before the
 * button is pressed. The chat's language is one the line's counsellors write, which may
 * not be the interface's: the view says which they are, and which can answer right now.
 * onChoice lets the page remember the choice across a switch of interface language.
 */
export function startView(
  lines: LinesResponse,
  line: PublicLine,
  choice: StartChoice,
  handlers: { onChoice(choice: StartChoice): void; onStart(request: ChatRequest): void },
): HTMLElement {
  const context = line.family === 'perpetrator-prevention' ? 'perpetrator-prevention' : undefined;
  const current: StartChoice = { ...choice };
  if (line.topics.length === 1) current.topic = line.topics[0] ?? null;
  // An older server does not say who is on duty: assume the line's languages.
  const now = (line.languagesNow ?? line.languages).filter((code) => line.languages.includes(code));
  if (!current.language || !line.languages.includes(current.language)) current.language = now[0] ?? line.languages[0] ?? null;

  const errorId = uid('topic-error');
  const topicError = h('p', { id: errorId, class: 'field-error', hidden: true }, t('start.chooseTopic'));

  // The interface is in the visitor's language; the chat is in one the counsellors write.
  const names = (codes: string[]) => listOf(codes.map((code) => languageName(code, uiLanguage())));
  const languageNote = line.languages.length === 1
    ? h('p', { class: 'chat-languages' }, t('start.languageOnly', { language: names(line.languages) }))
    : h('p', { class: 'chat-languages' }, t('start.chatLanguages', { languages: names(line.languages) }),
        now.length > 0 && now.length < line.languages.length ? [' ', t('start.chatLanguagesNow', { languages: names(now) })] : null);
  const languageField = line.languages.length > 1
    ? radioGroup('language', t('start.language'), line.languages.map((code) => ({ value: code, label: languageAutonym(code), lang: code })), current.language, (value) => {
        current.language = value;
        // The interface stays in the visitor's language: nothing to re-render.
        handlers.onChoice({ ...current });
      })
    : null;

  const topicField = line.topics.length > 1
    ? radioGroup('topic', t('start.topic', { context }), line.topics.map((id) => ({ value: id, label: topicLabel(id) })), current.topic, (value) => {
        current.topic = value;
        topicError.hidden = true;
        handlers.onChoice({ ...current });
      }, errorId)
    : null;

  const form = h('form', { class: 'start-form', novalidate: true },
    languageNote,
    languageField,
    topicField,
    topicError,
    h('button', { type: 'submit', class: 'primary' }, t('start.submit')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!current.topic) {
      topicError.hidden = false;
      form.querySelector<HTMLInputElement>('input[name="topic"]')?.focus();
      return;
    }
    if (!current.language) return;
    handlers.onStart({ line: line.id, language: current.language, topic: current.topic });
  });

  return h('section', { class: 'view start' },
    h('h1', {}, t('start.title', { context })),
    h('p', {}, t('start.intro', { context })),
    h('p', { class: 'note' }, t('start.privacy', { context })),
    // Told before asking, not after minutes in a queue: nobody can answer just now.
    now.length === 0 ? h('p', { class: 'nobody-now', role: 'status' }, t('start.nobodyNow')) : null,
    form,
    now.length === 0 ? contactsSection(lines, line, { emergency: true }) : null,
  );
}

function radioGroup(
  name: string,
  legend: string,
  // lang: a label in another language than the page ("English" on a Dutch page), WCAG 3.1.2.
  options: Array<{ value: string; label: string; lang?: string }>,
  selected: string | null,
  onChange: (value: string) => void,
  describedBy?: string,
): HTMLElement {
  return h('fieldset', { class: 'choices', 'aria-describedby': describedBy },
    h('legend', {}, legend),
    options.map((option) => {
      const id = uid(name);
      const input = h('input', { type: 'radio', id, name, value: option.value, checked: option.value === selected });
      input.addEventListener('change', () => onChange(option.value));
      return h('div', { class: 'choice' }, input, h('label', { for: id, lang: option.lang }, option.label));
    }),
  );
}

/** "Dutch, French and German", in the interface language. */
function listOf(items: string[]): string {
  try {
    return new Intl.ListFormat(uiLanguage(), { type: 'conjunction' }).format(items);
  } catch {
    return items.join(', ');
  }
}
